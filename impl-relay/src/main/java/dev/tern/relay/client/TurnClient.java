package dev.tern.relay.client;

import dev.tern.relay.codec.ChannelData;
import dev.tern.relay.codec.PasswordAlgorithm;
import dev.tern.relay.codec.StunAttribute;
import dev.tern.relay.codec.StunClass;
import dev.tern.relay.codec.StunMessage;
import dev.tern.relay.codec.StunMessageWriter;
import dev.tern.relay.codec.StunMethod;
import dev.tern.relay.codec.StunParse;
import dev.tern.relay.codec.TransactionId;
import dev.tern.relay.codec.XorAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A small blocking TURN client over UDP (RFC 8656), built on the codec: long-term credentials (the MD5
 * key by default; PASSWORD-ALGORITHMS negotiation and either integrity attribute with
 * {@link #integrity(RequestIntegrity)}), challenge and stale-nonce handling, Allocate, Refresh, CreatePermission, ChannelBind,
 * Send indications and ChannelData. For tests, probes and benchmarks; not for production media.
 *
 * <p>Not thread-safe: one thread per client. Every wait is bounded by the timeout given; a timeout
 * throws {@link UncheckedIOException} wrapping {@link SocketTimeoutException}.
 */
public final class TurnClient implements AutoCloseable {

    /** Data the relay forwarded from a peer. */
    public record Received(Optional<InetSocketAddress> peer, int channel, byte[] data) {
    }

    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private final ArrayDeque<byte[]> pendingData = new ArrayDeque<>();
    private String username;
    private String password;
    private String realm;
    private String nonce;
    private byte[] offeredAlgorithms;
    private RequestIntegrity integrity = RequestIntegrity.classic();

    /** Opens a UDP socket on the wildcard address; every wait lasts at most {@code timeout}. */
    public TurnClient(InetSocketAddress server, Duration timeout) {
        this.server = server;
        try {
            socket = new DatagramSocket(0);
            socket.setSoTimeout((int) timeout.toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Uses these long-term credentials from now on (the realm comes from the server's challenge). */
    public TurnClient credentials(String user, String pass) {
        this.username = user;
        this.password = pass;
        return this;
    }

    /** Signs requests this way from now on (default {@link RequestIntegrity#classic()}). */
    public TurnClient integrity(RequestIntegrity how) {
        this.integrity = how;
        return this;
    }

    /** The local port of the client's socket. */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** The long-term key in use, once the realm is known: the password algorithm's hash of the credentials. */
    public Optional<byte[]> key() {
        if (username == null || realm == null) {
            return Optional.empty();
        }
        return Optional.of(digest(passwordAlgorithm().digest(), username + ":" + realm + ":" + password));
    }

    /** The password algorithm whose key signs requests (MD5 unless {@link RequestIntegrity} names another). */
    public PasswordAlgorithm passwordAlgorithm() {
        return switch (integrity.algorithm()) {
            case NONE, MD5 -> PasswordAlgorithm.MD5;
            case SHA256 -> PasswordAlgorithm.SHA256;
            case FIRST_OFFERED -> firstOffered().orElse(PasswordAlgorithm.MD5);
        };
    }

    private Optional<PasswordAlgorithm> firstOffered() {
        if (offeredAlgorithms == null) {
            return Optional.empty();
        }
        ByteBuf list = Unpooled.wrappedBuffer(offeredAlgorithms);
        while (list.readableBytes() >= 4) {
            int code = list.readUnsignedShort();
            int parameters = list.readUnsignedShort();
            Optional<PasswordAlgorithm> known = PasswordAlgorithm.of(code);
            if (known.isPresent()) {
                return known;
            }
            list.skipBytes(Math.min(list.readableBytes(), (parameters + 3) & ~3));
        }
        return Optional.empty();
    }

    /**
     * Whether a response is authentic for this client as RFC 8489 section 9.2.5 has it: it carries
     * MESSAGE-INTEGRITY-SHA256 or MESSAGE-INTEGRITY and that attribute matches this client's key. (A strict
     * client discards anything else.)
     */
    public boolean authentic(StunResponse response) {
        Optional<byte[]> k = key();
        if (k.isEmpty()) {
            return false;
        }
        return response.has(StunAttribute.MESSAGE_INTEGRITY_SHA256) ? response.integritySha256Matches(k.get())
                : response.integrityMatches(k.get());
    }

    /** A Binding request without credentials. */
    public StunResponse binding() {
        return exchange(build(StunMethod.BINDING, w -> { }, TransactionId.random(), false));
    }

    /** Allocate with REQUESTED-TRANSPORT UDP plus {@code extra} attributes. */
    public StunResponse allocate(Consumer<StunMessageWriter> extra) {
        return request(StunMethod.ALLOCATE, w -> {
            w.u8Padded(StunAttribute.REQUESTED_TRANSPORT, StunAttribute.TRANSPORT_UDP);
            extra.accept(w);
        });
    }

    /** Allocate with REQUESTED-ADDRESS-FAMILY ({@link StunAttribute#FAMILY_IPV4} or {@link StunAttribute#FAMILY_IPV6}). */
    public StunResponse allocateFamily(int family) {
        return allocate(w -> w.u8Padded(StunAttribute.REQUESTED_ADDRESS_FAMILY, family));
    }

    /** Allocate with ADDITIONAL-ADDRESS-FAMILY IPv6: a dual allocation, one IPv4 and one IPv6 relayed address. */
    public StunResponse allocateDual() {
        return allocate(w -> w.u8Padded(StunAttribute.ADDITIONAL_ADDRESS_FAMILY, StunAttribute.FAMILY_IPV6));
    }

    /** Allocate with REQUESTED-TRANSPORT UDP. */
    public StunResponse allocate() {
        return allocate(w -> { });
    }

    /** Refresh with this LIFETIME (0 deletes the allocation). */
    public StunResponse refresh(long lifetimeSeconds) {
        return request(StunMethod.REFRESH, w -> w.u32(StunAttribute.LIFETIME, lifetimeSeconds));
    }

    /** CreatePermission for all these peers in one request. */
    public StunResponse createPermission(InetSocketAddress... peers) {
        return request(StunMethod.CREATE_PERMISSION, w -> {
            for (InetSocketAddress p : peers) {
                w.xorAddress(StunAttribute.XOR_PEER_ADDRESS, p);
            }
        });
    }

    /** ChannelBind of {@code channel} to {@code peer}. */
    public StunResponse channelBind(int channel, InetSocketAddress peer) {
        return request(StunMethod.CHANNEL_BIND, w -> w.u32(StunAttribute.CHANNEL_NUMBER, (long) channel << 16)
                .xorAddress(StunAttribute.XOR_PEER_ADDRESS, peer));
    }

    /**
     * Sends an authenticated request (challenged first if no nonce is known yet, retried once on 401 or
     * 438 with the server's new nonce) and returns the final response.
     */
    public StunResponse request(int method, Consumer<StunMessageWriter> attributes) {
        StunResponse response = exchange(build(method, attributes, TransactionId.random(), nonce != null));
        if (response.errorCode() == 401 || response.errorCode() == 438) {
            adoptChallenge(response);
            response = exchange(build(method, attributes, TransactionId.random(), true));
        }
        return response;
    }

    /** Builds the bytes of a request signed with the current credentials, for retransmission tests. */
    public byte[] build(int method, Consumer<StunMessageWriter> attributes, TransactionId tid, boolean authenticate) {
        ByteBuf out = Unpooled.buffer();
        try {
            StunMessageWriter w = StunMessageWriter.start(out, method, StunClass.REQUEST, tid);
            attributes.accept(w);
            if (authenticate && username != null && nonce != null) {
                w.string(StunAttribute.USERNAME, username).string(StunAttribute.REALM, realm)
                        .string(StunAttribute.NONCE, nonce);
                sign(w);
            }
            w.fingerprint();
            return ByteBufUtil.getBytes(w.finish());
        } finally {
            out.release();
        }
    }

    private void sign(StunMessageWriter w) {
        if (integrity.echoAlgorithms() && offeredAlgorithms != null) {
            w.bytes(StunAttribute.PASSWORD_ALGORITHMS, offeredAlgorithms);
        }
        if (integrity.algorithm() != RequestIntegrity.AlgorithmChoice.NONE) {
            w.passwordAlgorithm(passwordAlgorithm().code());
        }
        byte[] key = key().orElseThrow();
        if (integrity.messageIntegrity()) {
            w.integrity(key);
        }
        if (integrity.messageIntegritySha256()) {
            w.integritySha256(key);
        }
    }

    private void adoptChallenge(StunResponse challenge) {
        challenge.realm().ifPresent(r -> realm = r);
        challenge.nonce().ifPresent(n -> nonce = n);
        challenge.passwordAlgorithms().ifPresent(a -> offeredAlgorithms = a);
    }

    /** Sends raw request bytes and waits for the response with the same transaction id. */
    public StunResponse exchange(byte[] request) {
        send(request);
        TransactionId tid = TransactionId.read(Unpooled.wrappedBuffer(request), 8);
        while (true) {
            byte[] datagram = receiveDatagram();
            if (datagram.length >= 20 && (datagram[0] & 0xC0) == 0
                    && TransactionId.read(Unpooled.wrappedBuffer(datagram), 8).equals(tid)) {
                Optional<StunResponse> response = StunResponse.parse(datagram);
                if (response.isPresent()) {
                    return response.get();
                }
            } else {
                pendingData.add(datagram);
            }
        }
    }

    /** Sends a Send indication carrying {@code data} to {@code peer}. */
    public void sendIndication(InetSocketAddress peer, byte[] data) {
        send(build(StunMethod.SEND, StunClass.INDICATION, w -> w.xorAddress(StunAttribute.XOR_PEER_ADDRESS, peer)
                .bytes(StunAttribute.DATA, data)));
    }

    /** Sends {@code data} as ChannelData on {@code channel}. */
    public void sendChannelData(int channel, byte[] data) {
        byte[] frame = new byte[ChannelData.HEADER_LENGTH + data.length];
        frame[0] = (byte) (channel >> 8);
        frame[1] = (byte) channel;
        frame[2] = (byte) (data.length >> 8);
        frame[3] = (byte) data.length;
        System.arraycopy(data, 0, frame, 4, data.length);
        send(frame);
    }

    /** Waits for the next Data indication or ChannelData from the relay. */
    public Received receive() {
        while (true) {
            byte[] datagram = pendingData.isEmpty() ? receiveDatagram() : pendingData.poll();
            ByteBuf buf = Unpooled.wrappedBuffer(datagram);
            if (ChannelData.looksLikeChannelData(buf)) {
                int length = ChannelData.dataLength(buf);
                if (length >= 0) {
                    return new Received(Optional.empty(), ChannelData.channel(buf), Arrays.copyOfRange(datagram, 4,
                            4 + length));
                }
            } else if (StunMessage.parse(buf) instanceof StunParse.Parsed p && p.message().method() == StunMethod.DATA
                    && p.message().messageClass() == StunClass.INDICATION) {
                StunMessage m = p.message();
                Optional<InetSocketAddress> peer = m.attribute(StunAttribute.XOR_PEER_ADDRESS)
                        .flatMap(v -> XorAddress.decode(v, m.transactionId()));
                Optional<ByteBuf> data = m.attribute(StunAttribute.DATA);
                if (data.isPresent()) {
                    return new Received(peer, -1, ByteBufUtil.getBytes(data.get()));
                }
            }
        }
    }

    private byte[] build(int method, StunClass cls, Consumer<StunMessageWriter> attributes) {
        ByteBuf out = Unpooled.buffer();
        try {
            StunMessageWriter w = StunMessageWriter.start(out, method, cls, TransactionId.random());
            attributes.accept(w);
            return ByteBufUtil.getBytes(w.finish());
        } finally {
            out.release();
        }
    }

    /** Sends raw bytes to the relay. */
    public void send(byte[] datagram) {
        try {
            socket.send(new DatagramPacket(datagram, datagram.length, server));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] receiveDatagram() {
        byte[] buf = new byte[65536];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(packet);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Arrays.copyOf(buf, packet.getLength());
    }

    private static byte[] digest(String algorithm, String text) {
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
