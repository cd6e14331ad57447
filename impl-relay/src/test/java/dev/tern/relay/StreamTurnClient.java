package dev.tern.relay;

import dev.tern.relay.client.StunResponse;
import dev.tern.relay.codec.StunAttribute;
import dev.tern.relay.codec.StunClass;
import dev.tern.relay.codec.StunMessageWriter;
import dev.tern.relay.codec.StunMethod;
import dev.tern.relay.codec.TransactionId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A small blocking TURN client over a TCP or TLS socket (RFC 8656 section 6.2 framing), for tests:
 * long-term credentials with the MD5 key, Allocate, CreatePermission, ChannelBind, padded ChannelData.
 * Not thread-safe; every read is bounded by the socket's timeout.
 */
final class StreamTurnClient implements AutoCloseable {

    /** A message read from the stream: STUN (channel -1) or ChannelData (its channel, payload only). */
    record Frame(int channel, byte[] bytes) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String username;
    private final String password;
    private String realm;
    private String nonce;
    private byte[] key;
    private boolean trickle;

    StreamTurnClient(Socket socket, String username, String password) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(5000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.username = username;
        this.password = password;
    }

    Socket socket() {
        return socket;
    }

    /** From now on writes one byte at a time, flushed, with a short pause after each. */
    StreamTurnClient trickle() {
        trickle = true;
        return this;
    }

    StunResponse allocate() throws IOException {
        return request(StunMethod.ALLOCATE, w -> w.u8Padded(StunAttribute.REQUESTED_TRANSPORT,
                StunAttribute.TRANSPORT_UDP));
    }

    StunResponse channelBind(int channel, InetSocketAddress peer) throws IOException {
        return request(StunMethod.CHANNEL_BIND, w -> w.u32(StunAttribute.CHANNEL_NUMBER, (long) channel << 16)
                .xorAddress(StunAttribute.XOR_PEER_ADDRESS, peer));
    }

    /** Sends an authenticated request (after a challenge when no nonce is known yet) and reads its answer. */
    StunResponse request(int method, Consumer<StunMessageWriter> attributes) throws IOException {
        StunResponse r = exchange(build(method, attributes));
        if (r.errorCode() == 401 || r.errorCode() == 438) {
            realm = r.realm().orElse(realm);
            nonce = r.nonce().orElse(nonce);
            key = md5(username + ":" + realm + ":" + password);
            r = exchange(build(method, attributes));
        }
        return r;
    }

    byte[] build(int method, Consumer<StunMessageWriter> attributes) {
        ByteBuf buf = Unpooled.buffer();
        try {
            StunMessageWriter w = StunMessageWriter.start(buf, method, StunClass.REQUEST, TransactionId.random());
            attributes.accept(w);
            if (nonce != null) {
                w.string(StunAttribute.USERNAME, username).string(StunAttribute.REALM, realm)
                        .string(StunAttribute.NONCE, nonce).integrity(key);
            }
            w.fingerprint();
            return ByteBufUtil.getBytes(w.finish());
        } finally {
            buf.release();
        }
    }

    StunResponse exchange(byte[] request) throws IOException {
        send(request);
        while (true) {
            Frame f = read();
            if (f.channel() < 0 && f.bytes().length >= 20
                    && Arrays.equals(f.bytes(), 8, 20, request, 8, 20)) {
                return StunResponse.parse(f.bytes()).orElseThrow();
            }
        }
    }

    void sendChannelData(int channel, byte[] data) throws IOException {
        byte[] frame = new byte[4 + ((data.length + 3) & ~3)];
        frame[0] = (byte) (channel >> 8);
        frame[1] = (byte) channel;
        frame[2] = (byte) (data.length >> 8);
        frame[3] = (byte) data.length;
        System.arraycopy(data, 0, frame, 4, data.length);
        send(frame);
    }

    void send(byte[] bytes) throws IOException {
        if (!trickle) {
            out.write(bytes);
            out.flush();
            return;
        }
        for (byte b : bytes) {
            out.write(b);
            out.flush();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    /** Reads one framed message; ChannelData padding is checked and skipped. */
    Frame read() throws IOException {
        byte[] head = new byte[4];
        in.readFully(head);
        int length = ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
        if ((head[0] & 0xC0) == 0) {
            byte[] all = Arrays.copyOf(head, 20 + length);
            in.readFully(all, 4, all.length - 4);
            return new Frame(-1, all);
        }
        byte[] padded = new byte[(length + 3) & ~3];
        in.readFully(padded);
        return new Frame(((head[0] & 0xFF) << 8) | (head[1] & 0xFF), Arrays.copyOf(padded, length));
    }

    private static byte[] md5(String text) {
        try {
            return MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
