package dev.tern.turn.client;

import dev.tern.stun.ChannelData;
import dev.tern.stun.PasswordAlgorithm;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunClass;
import dev.tern.stun.StunMessage;
import dev.tern.stun.StunMessageWriter;
import dev.tern.stun.StunMethod;
import dev.tern.stun.StunParse;
import dev.tern.stun.TransactionId;
import dev.tern.stun.XorAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The project's one TURN client (RFC 8656): blocking, over UDP ({@link #TurnClient(InetSocketAddress, Duration)},
 * {@link #over(DatagramChannel, Duration)}) or a TCP or TLS stream ({@link #overStream(Socket, Duration)}, RFC 6062
 * framing with ChannelData padded to 4 bytes), built on the shared codec (tern-stun). Long-term credentials (the
 * MD5 key by default; PASSWORD-ALGORITHMS negotiation and either integrity attribute with
 * {@link #integrity(RequestIntegrity)}), challenge and stale-nonce handling, Allocate, Refresh,
 * CreatePermission, ChannelBind, Send indications and ChannelData. For {@code tern probe}, the benchmarks and
 * the tests; not for production media.
 *
 * <p>Every request returns the server's {@link StunResponse}, error responses included (tests assert on them);
 * {@link StunResponse#orThrow} turns an error into a {@link TurnException} for callers that only go on after
 * a success. Over UDP, {@link #retransmitting()} sends a request up to four times, waiting 250 ms, 500 ms, 1 s and
 * 2 s for the answer after each (RFC 8489 section 6.2.1's doubling), so it gives up after 3.75 s whatever the
 * timeout; by default a request is sent once and waits the timeout.
 *
 * <p>Not thread-safe: one thread per client. Every wait is bounded (by the timeout given, or the retransmission
 * schedule above); no answer in time throws {@link UncheckedIOException} wrapping {@link SocketTimeoutException}. Data from peers that arrives
 * while a request waits for its answer is kept, at most {@value #HELD_DATA_LIMIT} messages, for
 * {@link #receive()} and {@link #receiveData} to return first.
 */
public final class TurnClient implements AutoCloseable {

    /** Data the relay forwarded from a peer: a Data indication (with its peer) or ChannelData (its channel, else -1). */
    public record Received(Optional<InetSocketAddress> peer, int channel, byte[] data) {
    }

    private static final int[] RETRANSMIT_MILLIS = {250, 500, 1000, 2000};
    private static final int HELD_DATA_LIMIT = 256;
    private static final int MAX_MESSAGE = 65_536 + 20;

    private final TurnWire wire;
    private final int timeoutMillis;
    private final ArrayDeque<byte[]> heldData = new ArrayDeque<>();
    private final byte[] receiveBuffer = new byte[MAX_MESSAGE];
    private boolean retransmit;
    private long dataIndications;
    private final LongTermCredentials credentials = new LongTermCredentials();
    private Optional<InetSocketAddress> relayed = Optional.empty();

    /** Opens a UDP socket on the wildcard address; every wait lasts at most {@code timeout}. */
    public TurnClient(InetSocketAddress server, Duration timeout) {
        this(openDatagram(Objects.requireNonNull(server, "server")), timeout);
    }

    private TurnClient(TurnWire wire, Duration timeout) {
        this.wire = wire;
        this.timeoutMillis = (int) Math.max(1, Objects.requireNonNull(timeout, "timeout").toMillis());
    }

    /**
     * A client over the caller's UDP channel, connected to the TURN server and in blocking mode (a load generator
     * may take the channel over for data afterwards); closing the client closes the channel.
     */
    public static TurnClient over(DatagramChannel connected, Duration timeout) {
        try {
            return new TurnClient(DatagramWire.over(Objects.requireNonNull(connected, "connected")), timeout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A client over a TCP connection or an {@link javax.net.ssl.SSLSocket} (TLS, the {@code turns:} case) connected
     * to the TURN server; closing the client closes the socket (and so ends its allocation).
     */
    public static TurnClient overStream(Socket socket, Duration timeout) {
        try {
            return new TurnClient(new StreamWire(Objects.requireNonNull(socket, "socket")), timeout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TurnWire openDatagram(InetSocketAddress server) {
        try {
            return DatagramWire.open(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Over UDP, sends each request up to four times, waiting 250 ms, 500 ms, 1 s and 2 s for the answer after each,
     * instead of once with the timeout (streams never need it).
     */
    public TurnClient retransmitting() {
        this.retransmit = true;
        return this;
    }

    /**
     * From now on writes one byte at a time, flushed, with a short pause after each: a slow client, for tests of
     * the relay's stream framing.
     *
     * @throws IllegalStateException for a client over UDP
     */
    public TurnClient trickle() {
        streamWire().trickle();
        return this;
    }

    /**
     * The connection of a client over TCP or TLS.
     *
     * @throws IllegalStateException for a client over UDP
     */
    public Socket streamSocket() {
        return streamWire().socket();
    }

    /**
     * The caller's channel of a client made with {@link #over(DatagramChannel, Duration)}.
     *
     * @throws IllegalStateException for any other client
     */
    public DatagramChannel channel() {
        if (wire instanceof DatagramWire datagrams && datagrams.channel().isPresent()) {
            return datagrams.channel().get();
        }
        throw new IllegalStateException("this TURN client was not made over a datagram channel");
    }

    private StreamWire streamWire() {
        if (wire instanceof StreamWire stream) {
            return stream;
        }
        throw new IllegalStateException("a TURN client over UDP has no stream");
    }

    /** Uses these long-term credentials from now on (the realm comes from the server's challenge). */
    public TurnClient credentials(String user, String pass) {
        credentials.use(user, pass);
        return this;
    }

    /** Signs requests this way from now on (default {@link RequestIntegrity#classic()}). */
    public TurnClient integrity(RequestIntegrity how) {
        credentials.integrity(how);
        return this;
    }

    /** The local port of the client's socket. */
    public int localPort() {
        return wire.localPort();
    }

    /** The long-term key in use, once the realm is known: the password algorithm's hash of the credentials. */
    public Optional<byte[]> key() {
        return credentials.key();
    }

    /** The password algorithm whose key signs requests (MD5 unless {@link RequestIntegrity} names another). */
    public PasswordAlgorithm passwordAlgorithm() {
        return credentials.passwordAlgorithm();
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

    /** Allocate with REQUESTED-TRANSPORT UDP and this LIFETIME. */
    public StunResponse allocate(long lifetimeSeconds) {
        return allocate(w -> w.u32(StunAttribute.LIFETIME, lifetimeSeconds));
    }

    /** The relayed address of the last successful Allocate (the first, for a dual allocation), if any. */
    public Optional<InetSocketAddress> relayedAddress() {
        return relayed;
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
        StunResponse response = exchange(build(method, attributes, TransactionId.random(), credentials.challenged()));
        if (response.errorCode() == 401 || response.errorCode() == 438) {
            credentials.adoptChallenge(response);
            response = exchange(build(method, attributes, TransactionId.random(), true));
        }
        if (method == StunMethod.ALLOCATE && response.success()) {
            relayed = response.grant().relayed();
        }
        return response;
    }

    /** Builds the bytes of a request signed with the current credentials, for retransmission tests. */
    public byte[] build(int method, Consumer<StunMessageWriter> attributes, TransactionId tid, boolean authenticate) {
        ByteBuf out = Unpooled.buffer();
        try {
            StunMessageWriter w = StunMessageWriter.start(out, method, StunClass.REQUEST, tid);
            attributes.accept(w);
            if (authenticate) {
                credentials.sign(w);
            }
            w.fingerprint();
            return ByteBufUtil.getBytes(w.finish());
        } finally {
            out.release();
        }
    }

    /**
     * Sends raw request bytes and waits for the response with the same transaction id (sending them again over
     * UDP when {@link #retransmitting()}); data from peers read meanwhile is kept for {@link #receive()}.
     */
    public StunResponse exchange(byte[] request) {
        TransactionId tid = TransactionId.read(Unpooled.wrappedBuffer(request), 8);
        int[] waits = retransmit && wire.retransmits() ? RETRANSMIT_MILLIS : new int[] {timeoutMillis};
        for (int wait : waits) {
            send(request);
            long deadline = System.nanoTime() + wait * 1_000_000L;
            byte[] message;
            while ((message = nextMessage(deadline)) != null) {
                if (message.length >= 20 && (message[0] & 0xC0) == 0
                        && TransactionId.read(Unpooled.wrappedBuffer(message), 8).equals(tid)) {
                    Optional<StunResponse> response = StunResponse.parse(message);
                    if (response.isPresent()) {
                        return response.get();
                    }
                } else if (heldData.size() < HELD_DATA_LIMIT) {
                    heldData.add(message);
                }
            }
        }
        throw new UncheckedIOException(new SocketTimeoutException("no answer from the TURN server " + wire.remote()));
    }

    /** Sends a Send indication carrying {@code data} to {@code peer}. */
    public void sendIndication(InetSocketAddress peer, byte[] data) {
        send(build(StunMethod.SEND, StunClass.INDICATION, w -> w.xorAddress(StunAttribute.XOR_PEER_ADDRESS, peer)
                .bytes(StunAttribute.DATA, data)));
    }

    /** Sends {@code data} as ChannelData on {@code channel} (padded to 4 bytes over a stream). */
    public void sendChannelData(int channel, byte[] data) {
        sendChannelData(channel, data, data.length);
    }

    /** Sends the first {@code length} bytes of {@code payload} as ChannelData on {@code channel}. */
    public void sendChannelData(int channel, byte[] payload, int length) {
        byte[] frame = new byte[ChannelData.HEADER_LENGTH + length];
        ChannelData.writeHeader(Unpooled.wrappedBuffer(frame), 0, channel, length);
        System.arraycopy(payload, 0, frame, ChannelData.HEADER_LENGTH, length);
        send(frame);
    }

    /** Waits (at most the client's timeout) for the next Data indication or ChannelData from the relay. */
    public Received receive() {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            Optional<Received> data = nextData(deadline);
            if (data.isPresent()) {
                return data.get();
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new UncheckedIOException(new SocketTimeoutException("no data from the relay within "
                        + timeoutMillis + " ms"));
            }
        }
    }

    /**
     * Waits at most {@code timeoutMillis} for the next data from a peer (ChannelData or a Data indication),
     * skipping anything else (late responses), and copies its payload into {@code buffer} at
     * {@link ChannelData#HEADER_LENGTH}: the form a load generator reuses one buffer with.
     *
     * @return the payload length, or -1 when none arrived in time
     */
    public int receiveData(byte[] buffer, int timeoutMillis) {
        long deadline = System.nanoTime() + Math.max(1, timeoutMillis) * 1_000_000L;
        while (System.nanoTime() - deadline < 0) {
            Optional<Received> data = nextData(deadline);
            if (data.isPresent()) {
                byte[] payload = data.get().data();
                int n = Math.min(payload.length, buffer.length - ChannelData.HEADER_LENGTH);
                System.arraycopy(payload, 0, buffer, ChannelData.HEADER_LENGTH, n);
                return n;
            }
        }
        return -1;
    }

    /** How many of the data messages received were Data indications rather than ChannelData. */
    public long dataIndications() {
        return dataIndications;
    }

    /** The next message if it is data from a peer; empty for anything else or when the deadline passed. */
    private Optional<Received> nextData(long deadline) {
        byte[] message = heldData.isEmpty() ? nextMessage(deadline) : heldData.poll();
        if (message == null) {
            return Optional.empty();
        }
        ByteBuf buf = Unpooled.wrappedBuffer(message);
        if (ChannelData.looksLikeChannelData(buf)) {
            int length = ChannelData.dataLength(buf);
            return length < 0 ? Optional.empty() : Optional.of(new Received(Optional.empty(), ChannelData.channel(buf),
                    Arrays.copyOfRange(message, ChannelData.HEADER_LENGTH, ChannelData.HEADER_LENGTH + length)));
        }
        if (StunMessage.parse(buf) instanceof StunParse.Parsed p && p.message().method() == StunMethod.DATA
                && p.message().messageClass() == StunClass.INDICATION) {
            StunMessage m = p.message();
            Optional<ByteBuf> data = m.attribute(StunAttribute.DATA);
            if (data.isPresent()) {
                dataIndications++;
                return Optional.of(new Received(m.attribute(StunAttribute.XOR_PEER_ADDRESS)
                        .flatMap(v -> XorAddress.decode(v, m.transactionId())), -1, ByteBufUtil.getBytes(data.get())));
            }
        }
        return Optional.empty();
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

    /** Sends raw bytes to the relay: one datagram, or written to the stream as they are (ChannelData padded). */
    public void send(byte[] message) {
        try {
            wire.send(message, message.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next whole message from the server, or null when the deadline passed first. */
    private byte[] nextMessage(long deadline) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
            return null;
        }
        try {
            int length = wire.receive(receiveBuffer, (int) left);
            return length < 0 ? null : Arrays.copyOf(receiveBuffer, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            wire.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
