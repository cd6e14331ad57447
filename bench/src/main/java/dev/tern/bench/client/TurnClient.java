package dev.tern.bench.client;

import dev.tern.credentials.LongTermKeys;
import dev.tern.relay.codec.ChannelData;
import dev.tern.relay.codec.StunAttribute;
import dev.tern.relay.codec.StunClass;
import dev.tern.relay.codec.StunMessage;
import dev.tern.relay.codec.StunMessageWriter;
import dev.tern.relay.codec.StunMethod;
import dev.tern.relay.codec.StunParse;
import dev.tern.relay.codec.TransactionId;
import dev.tern.relay.codec.XorAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The control side of a TURN client over UDP, TCP or TLS (RFC 8656, RFC 6062 framing): Allocate with the
 * long-term credential challenge, CreatePermission, ChannelBind, Refresh, and ChannelData both ways. One
 * client owns one connected {@link DatagramChannel} or one {@link Socket}, so each client is its own
 * 5-tuple and allocation.
 *
 * <p>Not thread-safe; blocking, with retransmissions over UDP at 250 ms, 500 ms, 1 s, 2 s (then
 * {@link TurnException}; over a stream one send and the same 3.75 s to answer). While a UDP channel is in
 * blocking mode it reads only its own responses; a load's data path may then take the channel over
 * (non-blocking) for ChannelData and indications.
 */
public final class TurnClient implements AutoCloseable {

    private static final int[] RETRANSMIT_MILLIS = {250, 500, 1000, 2000};
    private static final int[] STREAM_WAIT_MILLIS = {3750};

    private final TurnWire wire;
    private final String username;
    private final String password;
    private String realm;
    private String nonce;
    private byte[] key;
    private InetSocketAddress relayed;
    private InetSocketAddress mapped;
    private long dataIndications;
    /**
     * Data from peers (ChannelData, Data indications) that arrived while a transaction waited for its answer, in
     * order, for {@link #receiveData} to return first: a late echo read during a Refresh is not lost.
     */
    private final java.util.ArrayDeque<byte[]> heldData = new java.util.ArrayDeque<>();
    /** The most messages {@link #heldData} keeps; more are dropped (a client that never reads its data). */
    private static final int HELD_DATA_LIMIT = 256;

    /**
     * @param channel a channel connected to the TURN server, in blocking mode
     * @param username long-term username (a TURN REST username or a fixed one)
     * @param password its password
     */
    public TurnClient(DatagramChannel channel, String username, String password) {
        this(new DatagramWire(Objects.requireNonNull(channel, "channel")), username, password);
    }

    private TurnClient(TurnWire wire, String username, String password) {
        this.wire = wire;
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
    }

    /**
     * A client over a TCP connection or an {@link javax.net.ssl.SSLSocket} (TLS, the {@code turns:} case),
     * connected to the TURN server.
     */
    public static TurnClient overStream(Socket socket, String username, String password) throws IOException {
        return new TurnClient(new StreamWire(Objects.requireNonNull(socket, "socket")), username, password);
    }

    /**
     * The UDP channel this client talks over.
     *
     * @throws IllegalStateException for a client over TCP or TLS
     */
    public DatagramChannel channel() {
        if (wire instanceof DatagramWire datagrams) {
            return datagrams.channel();
        }
        throw new IllegalStateException("a TURN client over TCP or TLS has no datagram channel");
    }

    /** The relayed transport address, once {@link #allocate} succeeded. */
    public InetSocketAddress relayedAddress() {
        return relayed;
    }

    /** The server-reflexive address from the Allocate response, if the server sent one. */
    public Optional<InetSocketAddress> mappedAddress() {
        return Optional.ofNullable(mapped);
    }

    /** Allocates a UDP relay, answering the 401 challenge; returns the relayed address. */
    public InetSocketAddress allocate(int lifetimeSeconds) throws IOException {
        StunMessage response = authenticated(StunMethod.ALLOCATE, w -> w
                .u8Padded(StunAttribute.REQUESTED_TRANSPORT, StunAttribute.TRANSPORT_UDP)
                .u32(StunAttribute.LIFETIME, lifetimeSeconds));
        TransactionId tid = response.transactionId();
        relayed = response.attribute(StunAttribute.XOR_RELAYED_ADDRESS)
                .flatMap(v -> XorAddress.decode(v, tid))
                .orElseThrow(() -> new TurnException(0, "Allocate success without XOR-RELAYED-ADDRESS"));
        mapped = response.attribute(StunAttribute.XOR_MAPPED_ADDRESS).flatMap(v -> XorAddress.decode(v, tid)).orElse(null);
        return relayed;
    }

    /** Installs a permission for the peer's IP address. */
    public void createPermission(InetSocketAddress peer) throws IOException {
        authenticated(StunMethod.CREATE_PERMISSION, w -> w.xorAddress(StunAttribute.XOR_PEER_ADDRESS, peer));
    }

    /** Binds {@code channelNumber} (0x4000 to 0x4FFF) to the peer (installs a permission too). */
    public void channelBind(int channelNumber, InetSocketAddress peer) throws IOException {
        authenticated(StunMethod.CHANNEL_BIND, w -> w
                .u32(StunAttribute.CHANNEL_NUMBER, (long) channelNumber << 16)
                .xorAddress(StunAttribute.XOR_PEER_ADDRESS, peer));
    }

    /** Refreshes the allocation; 0 deletes it. */
    public void refresh(int lifetimeSeconds) throws IOException {
        authenticated(StunMethod.REFRESH, w -> w.u32(StunAttribute.LIFETIME, lifetimeSeconds));
    }

    /** Sends {@code length} bytes of {@code payload} to the peer bound to {@code channelNumber} as ChannelData. */
    public void sendChannelData(int channelNumber, byte[] payload, int length) throws IOException {
        byte[] message = new byte[ChannelData.HEADER_LENGTH + length];
        ByteBuf header = Unpooled.wrappedBuffer(message);
        ChannelData.writeHeader(header, 0, channelNumber, length);
        System.arraycopy(payload, 0, message, ChannelData.HEADER_LENGTH, length);
        wire.send(message, message.length);
    }

    /**
     * Waits for the next data from a peer: ChannelData, or a Data indication (what a relay sends for a peer
     * without a channel), skipping anything else (late responses).
     *
     * @param buffer receives the payload at {@link ChannelData#HEADER_LENGTH} (for either kind)
     * @return the payload length, or -1 when none arrived within {@code timeoutMillis}
     */
    public int receiveData(byte[] buffer, int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            int length;
            if (!heldData.isEmpty()) {
                byte[] held = heldData.poll();
                length = Math.min(held.length, buffer.length);
                System.arraycopy(held, 0, buffer, 0, length);
            } else if (left <= 0) {
                return -1;
            } else {
                length = wire.receive(buffer, (int) left);
            }
            if (length >= ChannelData.HEADER_LENGTH && (buffer[0] & 0xC0) == 0x40) {
                return Math.min(length - ChannelData.HEADER_LENGTH, ((buffer[2] & 0xFF) << 8) | (buffer[3] & 0xFF));
            }
            if (length > 0) {
                ByteBuf in = Unpooled.wrappedBuffer(buffer, 0, length);
                if (StunMessage.looksLikeStun(in) && StunMessage.parse(in) instanceof StunParse.Parsed parsed
                        && parsed.message().method() == StunMethod.DATA
                        && parsed.message().messageClass() == StunClass.INDICATION) {
                    Optional<ByteBuf> data = parsed.message().attribute(StunAttribute.DATA);
                    if (data.isPresent()) {
                        ByteBuf payload = data.get();
                        int n = payload.readableBytes();
                        byte[] copy = new byte[n];
                        payload.getBytes(payload.readerIndex(), copy);
                        System.arraycopy(copy, 0, buffer, ChannelData.HEADER_LENGTH, n);
                        dataIndications++;
                        return n;
                    }
                }
            }
        }
    }

    /** How many of the messages {@link #receiveData} returned were Data indications rather than ChannelData. */
    public long dataIndications() {
        return dataIndications;
    }

    /** Closes the channel or connection (an allocation over TCP or TLS ends with it). */
    @Override
    public void close() throws IOException {
        wire.close();
    }

    private StunMessage authenticated(int method, Consumer<StunMessageWriter> attributes) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            StunMessage response = transact(method, attributes);
            if (response.messageClass() == StunClass.SUCCESS_RESPONSE) {
                return response;
            }
            int code = errorCode(response);
            if ((code == 401 && key == null) || code == 438) {
                realm = response.string(StunAttribute.REALM).orElse(realm);
                nonce = response.string(StunAttribute.NONCE).orElse(nonce);
                if (realm == null || nonce == null) {
                    throw new TurnException(code, "challenge without REALM or NONCE");
                }
                key = LongTermKeys.derive(username, realm, password).md5();
                continue;
            }
            throw new TurnException(code, "TURN method 0x" + Integer.toHexString(method) + " refused: "
                    + reason(response));
        }
        throw new TurnException(0, "server kept challenging the credentials");
    }

    private StunMessage transact(int method, Consumer<StunMessageWriter> attributes) throws IOException {
        TransactionId tid = TransactionId.random();
        ByteBuf request = Unpooled.buffer(256);
        byte[] receiveBuffer = new byte[2048];
        try {
            StunMessageWriter writer = StunMessageWriter.start(request, method, StunClass.REQUEST, tid);
            attributes.accept(writer);
            if (key != null) {
                writer.string(StunAttribute.USERNAME, username).string(StunAttribute.REALM, realm)
                        .string(StunAttribute.NONCE, nonce).integrity(key);
            }
            writer.fingerprint().finish();
            byte[] bytes = new byte[request.readableBytes()];
            request.getBytes(request.readerIndex(), bytes);
            for (int timeout : wire.retransmits() ? RETRANSMIT_MILLIS : STREAM_WAIT_MILLIS) {
                wire.send(bytes, bytes.length);
                long deadline = System.nanoTime() + timeout * 1_000_000L;
                while (true) {
                    long left = (deadline - System.nanoTime()) / 1_000_000L;
                    if (left <= 0) {
                        break;
                    }
                    int length = wire.receive(receiveBuffer, (int) left);
                    if (length < 0) {
                        break;
                    }
                    ByteBuf in = Unpooled.wrappedBuffer(receiveBuffer, 0, length);
                    if (length > 0 && isData(in) && heldData.size() < HELD_DATA_LIMIT) {
                        heldData.add(java.util.Arrays.copyOf(receiveBuffer, length));
                        continue;
                    }
                    if (StunMessage.looksLikeStun(in) && StunMessage.parse(in) instanceof StunParse.Parsed parsed
                            && parsed.message().transactionId().equals(tid)
                            && parsed.message().messageClass() != StunClass.REQUEST) {
                        // Copy: the view must outlive the receive buffer.
                        byte[] copy = new byte[length];
                        System.arraycopy(receiveBuffer, 0, copy, 0, copy.length);
                        return ((StunParse.Parsed) StunMessage.parse(Unpooled.wrappedBuffer(copy))).message();
                    }
                }
            }
            throw new TurnException(0, "no answer to TURN method 0x" + Integer.toHexString(method)
                    + " from " + wire.remote());
        } finally {
            request.release();
        }
    }

    /** ChannelData, or a Data indication: what {@link #receiveData} returns. */
    private static boolean isData(ByteBuf in) {
        if (in.readableBytes() >= ChannelData.HEADER_LENGTH && (in.getByte(in.readerIndex()) & 0xC0) == 0x40) {
            return true;
        }
        return StunMessage.looksLikeStun(in) && StunMessage.parse(in) instanceof StunParse.Parsed parsed
                && parsed.message().method() == StunMethod.DATA && parsed.message().messageClass() == StunClass.INDICATION;
    }

    private static int errorCode(StunMessage response) {
        return response.attribute(StunAttribute.ERROR_CODE)
                .filter(v -> v.readableBytes() >= 4)
                .map(v -> (v.getByte(v.readerIndex() + 2) & 7) * 100 + (v.getByte(v.readerIndex() + 3) & 0xFF))
                .orElse(0);
    }

    private static String reason(StunMessage response) {
        return response.attribute(StunAttribute.ERROR_CODE)
                .filter(v -> v.readableBytes() > 4)
                .map(v -> v.toString(v.readerIndex() + 4, v.readableBytes() - 4, java.nio.charset.StandardCharsets.UTF_8))
                // coturn pads its reason phrases with NULs
                .map(text -> text.replaceAll("\\p{Cntrl}", "").trim())
                .orElse("no reason given");
    }
}
