package dev.tern.bench.client;

import dev.tern.credentials.LongTermKeys;
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
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The control side of a TURN client over UDP (RFC 8656): Allocate with the long-term credential
 * challenge, CreatePermission, ChannelBind, Refresh. One client owns one connected
 * {@link DatagramChannel}, so each client is its own 5-tuple and allocation.
 *
 * <p>Not thread-safe; blocking, with retransmissions at 250 ms, 500 ms, 1 s, 2 s (then
 * {@link TurnException}). While the channel is in blocking mode it reads only its own responses; the
 * data path then takes the channel over (non-blocking) for ChannelData and indications.
 */
public final class TurnClient {

    private static final int[] RETRANSMIT_MILLIS = {250, 500, 1000, 2000};

    private final DatagramChannel channel;
    private final DatagramSocket socket;
    private final String username;
    private final String password;
    private String realm;
    private String nonce;
    private byte[] key;
    private InetSocketAddress relayed;
    private InetSocketAddress mapped;

    /**
     * @param channel a channel connected to the TURN server, in blocking mode
     * @param username long-term username (a TURN REST username or a fixed one)
     * @param password its password
     */
    public TurnClient(DatagramChannel channel, String username, String password) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.socket = channel.socket();
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
    }

    /** The channel this client talks over. */
    public DatagramChannel channel() {
        return channel;
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
            for (int timeout : RETRANSMIT_MILLIS) {
                socket.send(new DatagramPacket(bytes, bytes.length));
                long deadline = System.nanoTime() + timeout * 1_000_000L;
                while (true) {
                    long left = (deadline - System.nanoTime()) / 1_000_000L;
                    if (left <= 0) {
                        break;
                    }
                    socket.setSoTimeout((int) left);
                    DatagramPacket packet = new DatagramPacket(receiveBuffer, receiveBuffer.length);
                    try {
                        socket.receive(packet);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    ByteBuf in = Unpooled.wrappedBuffer(receiveBuffer, 0, packet.getLength());
                    if (StunMessage.looksLikeStun(in) && StunMessage.parse(in) instanceof StunParse.Parsed parsed
                            && parsed.message().transactionId().equals(tid)
                            && parsed.message().messageClass() != StunClass.REQUEST) {
                        // Copy: the view must outlive the receive buffer.
                        byte[] copy = new byte[packet.getLength()];
                        System.arraycopy(receiveBuffer, 0, copy, 0, copy.length);
                        return ((StunParse.Parsed) StunMessage.parse(Unpooled.wrappedBuffer(copy))).message();
                    }
                }
            }
            throw new TurnException(0, "no answer to TURN method 0x" + Integer.toHexString(method)
                    + " from " + channel.getRemoteAddress());
        } finally {
            request.release();
        }
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
