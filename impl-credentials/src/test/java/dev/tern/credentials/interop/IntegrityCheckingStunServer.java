package dev.tern.credentials.interop;

import dev.tern.spi.CredentialVerifier;
import dev.tern.spi.LongTermKey;
import dev.tern.spi.Verification;
import dev.tern.stun.MessageIntegrity;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunClass;
import dev.tern.stun.StunMessage;
import dev.tern.stun.StunMessageWriter;
import dev.tern.stun.StunParse;
import dev.tern.testing.FreePorts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A minimal STUN server on loopback for one purpose: let a real TURN client (coturn's
 * {@code turnutils_uclient}) authenticate, and check its MESSAGE-INTEGRITY with the keys a
 * {@link CredentialVerifier} gives. It answers every request without USERNAME with 401 (REALM, NONCE),
 * and every authenticated one with 403 after recording the outcome, so the client gives up. Messages are read
 * and written with the project's codec (tern-stun), so the check is the relay's own.
 */
final class IntegrityCheckingStunServer implements AutoCloseable {

    /**
     * One authenticated request as the server saw it.
     *
     * @param username the USERNAME the client sent
     * @param verification what the verifier said
     * @param matchingKey the index of the candidate key whose HMAC matched MESSAGE-INTEGRITY, or -1
     */
    record Attempt(String username, Verification verification, int matchingKey) {
    }

    private final DatagramSocket socket;
    private final CredentialVerifier verifier;
    private final String realm;
    private final BlockingQueue<Attempt> attempts = new LinkedBlockingQueue<>();
    private final Thread thread;

    IntegrityCheckingStunServer(CredentialVerifier verifier, String realm) throws SocketException {
        this.socket = new DatagramSocket(0, FreePorts.LOOPBACK);
        this.verifier = verifier;
        this.realm = realm;
        this.thread = new Thread(this::serve, "stun-integrity-probe");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    BlockingQueue<Attempt> attempts() {
        return attempts;
    }

    private void serve() {
        byte[] buffer = new byte[2048];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                byte[] message = Arrays.copyOf(packet.getData(), packet.getLength());
                byte[] response = answer(message);
                if (response != null) {
                    socket.send(new DatagramPacket(response, response.length, packet.getSocketAddress()));
                }
            } catch (Exception e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private byte[] answer(byte[] bytes) {
        if (!(StunMessage.parse(Unpooled.wrappedBuffer(bytes)) instanceof StunParse.Parsed parsed)
                || parsed.message().messageClass() != StunClass.REQUEST) {
            return null; // not a STUN request
        }
        StunMessage message = parsed.message();
        Optional<String> username = message.string(StunAttribute.USERNAME);
        if (username.isEmpty() || !message.has(StunAttribute.MESSAGE_INTEGRITY)) {
            return error(message, 401, "Unauthorized", true);
        }
        Verification verification = verifier.verify(username.get(), realm);
        int matching = -1;
        if (verification instanceof Verification.Accepted accepted) {
            List<LongTermKey> keys = accepted.keys();
            for (int i = 0; i < keys.size() && matching < 0; i++) {
                if (MessageIntegrity.verifySha1(message, keys.get(i).md5())) {
                    matching = i;
                }
            }
        }
        attempts.add(new Attempt(username.get(), verification, matching));
        return error(message, 403, "Forbidden", false);
    }

    private byte[] error(StunMessage request, int code, String reason, boolean challenge) {
        ByteBuf out = Unpooled.buffer(128);
        try {
            StunMessageWriter w = StunMessageWriter.start(out, request.method(), StunClass.ERROR_RESPONSE,
                    request.transactionId()).errorCode(code, reason);
            if (challenge) {
                w.string(StunAttribute.REALM, realm).string(StunAttribute.NONCE, "f00dcafe0123456789abcdef");
            }
            return ByteBufUtil.getBytes(w.finish());
        } finally {
            out.release();
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2000);
    }
}
