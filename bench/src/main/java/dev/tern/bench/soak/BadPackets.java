package dev.tern.bench.soak;

import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunClass;
import dev.tern.stun.StunMessageWriter;
import dev.tern.stun.StunMethod;
import dev.tern.stun.TransactionId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Input a relay must shrug off, on every listener, each cycle: over UDP random bytes, a STUN header whose
 * length runs past the datagram, ChannelData on a channel nobody bound, an Allocate signed with a wrong key;
 * over TCP a connection that sends random bytes, one that stops mid-message, one that announces a 64 KiB
 * ChannelData, one that says nothing; over TLS a connection that speaks no TLS, one that handshakes and then
 * sends random bytes, one that hangs up mid-handshake.
 */
final class BadPackets implements Activity {

    private final SoakLauncher launcher;
    private final SSLContext tls;

    BadPackets(SoakLauncher launcher, SSLContext tls) {
        this.launcher = launcher;
        this.tls = tls;
    }

    @Override
    public String name() {
        return "bad-packets";
    }

    @Override
    public void cycle() throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (DatagramChannel udp = DatagramChannel.open()) {
            udp.connect(launcher.turn());
            udp.write(ByteBuffer.wrap(randomBytes(1 + random.nextInt(1200))));
            udp.write(ByteBuffer.wrap(stunHeaderClaiming(500)));
            udp.write(ByteBuffer.wrap(new byte[] {0x40, 0x01, 0x00, 0x04, 1, 2, 3, 4}));
            udp.write(ByteBuffer.wrap(allocateWithWrongKey()));
        }
        stream(launcher.turn(), randomBytes(1 + random.nextInt(600)));
        stream(launcher.turn(), java.util.Arrays.copyOf(allocateWithWrongKey(), 30));
        stream(launcher.turn(), new byte[] {0x40, 0x00, (byte) 0xFF, (byte) 0xFF, 1, 2, 3, 4});
        stream(launcher.turn(), new byte[0]);
        stream(launcher.turns(), randomBytes(1 + random.nextInt(600)));
        try (Socket plain = connect(launcher.turns());
                SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, "127.0.0.1",
                        launcher.turns().getPort(), true)) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(randomBytes(1 + random.nextInt(600)));
            out.flush();
        }
        try (Socket plain = connect(launcher.turns())) {
            // A ClientHello record header that promises more than ever comes.
            plain.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xFC});
            plain.getOutputStream().flush();
        }
    }

    private static void stream(java.net.InetSocketAddress to, byte[] bytes) throws IOException {
        try (Socket socket = connect(to)) {
            if (bytes.length > 0) {
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
            }
        }
    }

    private static Socket connect(java.net.InetSocketAddress to) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(to, 5000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static byte[] stunHeaderClaiming(int length) {
        byte[] header = new byte[20];
        ByteBuffer b = ByteBuffer.wrap(header);
        b.putShort((short) StunMethod.ALLOCATE).putShort((short) length).putInt(0x2112A442);
        ThreadLocalRandom.current().nextBytes(java.util.Arrays.copyOfRange(header, 8, 20));
        return header;
    }

    private static byte[] allocateWithWrongKey() {
        ByteBuf out = Unpooled.buffer(256);
        try {
            StunMessageWriter.start(out, StunMethod.ALLOCATE, StunClass.REQUEST, TransactionId.random())
                    .u8Padded(StunAttribute.REQUESTED_TRANSPORT, StunAttribute.TRANSPORT_UDP)
                    .string(StunAttribute.USERNAME, "4102444800:@nobody:soak.test")
                    .string(StunAttribute.REALM, SoakLauncher.SERVER_NAME)
                    .string(StunAttribute.NONCE, "not-a-nonce-the-relay-issued")
                    .integrity(randomBytes(16)).fingerprint().finish();
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return bytes;
        } finally {
            out.release();
        }
    }
}
