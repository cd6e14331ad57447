package dev.tern.credentials.interop;

import dev.tern.spi.CredentialVerifier;
import dev.tern.spi.LongTermKey;
import dev.tern.spi.Verification;
import dev.tern.testing.FreePorts;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A minimal STUN server on loopback for one purpose: let a real TURN client (coturn's
 * {@code turnutils_uclient}) authenticate, and check its MESSAGE-INTEGRITY with the keys a
 * {@link CredentialVerifier} gives. It answers every request without USERNAME with 401 (REALM, NONCE),
 * and every authenticated one with 403 after recording the outcome, so the client gives up.
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

    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int USERNAME = 0x0006;
    private static final int MESSAGE_INTEGRITY = 0x0008;
    private static final int ERROR_CODE = 0x0009;
    private static final int REALM = 0x0014;
    private static final int NONCE = 0x0015;

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

    private byte[] answer(byte[] message) throws Exception {
        ByteBuffer in = ByteBuffer.wrap(message);
        if (message.length < 20 || in.getInt(4) != MAGIC_COOKIE || (in.getShort(0) & 0x0110) != 0) {
            return null; // not a STUN request
        }
        String username = null;
        int integrityOffset = -1;
        int offset = 20;
        while (offset + 4 <= message.length) {
            int type = in.getShort(offset) & 0xFFFF;
            int length = in.getShort(offset + 2) & 0xFFFF;
            if (offset + 4 + length > message.length) {
                return null;
            }
            if (type == USERNAME) {
                username = new String(message, offset + 4, length, StandardCharsets.UTF_8);
            } else if (type == MESSAGE_INTEGRITY) {
                integrityOffset = offset;
                break;
            }
            offset += 4 + ((length + 3) & ~3);
        }
        int type = in.getShort(0) & 0xFFFF;
        if (username == null || integrityOffset < 0) {
            return error(type, message, 401, "Unauthorized", true);
        }
        Verification verification = verifier.verify(username, realm);
        int matching = -1;
        if (verification instanceof Verification.Accepted accepted) {
            byte[] signed = Arrays.copyOf(message, integrityOffset);
            ByteBuffer.wrap(signed).putShort(2, (short) (integrityOffset + 24 - 20));
            byte[] sent = Arrays.copyOfRange(message, integrityOffset + 4, integrityOffset + 24);
            List<LongTermKey> keys = accepted.keys();
            for (int i = 0; i < keys.size() && matching < 0; i++) {
                Mac mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(keys.get(i).md5(), "HmacSHA1"));
                if (MessageDigest.isEqual(mac.doFinal(signed), sent)) {
                    matching = i;
                }
            }
        }
        attempts.add(new Attempt(username, verification, matching));
        return error(type, message, 403, "Forbidden", false);
    }

    private byte[] error(int requestType, byte[] request, int code, String reason, boolean challenge) {
        ByteArrayOutputStream attributes = new ByteArrayOutputStream();
        byte[] reasonBytes = reason.getBytes(StandardCharsets.UTF_8);
        byte[] errorValue = new byte[4 + reasonBytes.length];
        errorValue[2] = (byte) (code / 100);
        errorValue[3] = (byte) (code % 100);
        System.arraycopy(reasonBytes, 0, errorValue, 4, reasonBytes.length);
        attribute(attributes, ERROR_CODE, errorValue);
        if (challenge) {
            attribute(attributes, REALM, realm.getBytes(StandardCharsets.UTF_8));
            attribute(attributes, NONCE, "f00dcafe0123456789abcdef".getBytes(StandardCharsets.UTF_8));
        }
        byte[] body = attributes.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(20 + body.length);
        out.putShort((short) ((requestType & ~0x0110) | 0x0110));
        out.putShort((short) body.length);
        out.put(request, 4, 16); // magic cookie and transaction id
        out.put(body);
        return out.array();
    }

    private static void attribute(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type >> 8);
        out.write(type);
        out.write(value.length >> 8);
        out.write(value.length);
        out.writeBytes(value);
        for (int pad = value.length; pad % 4 != 0; pad++) {
            out.write(0);
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2000);
    }
}
