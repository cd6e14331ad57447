package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.Bitrate;
import dev.tern.spi.TurnPolicy;
import dev.tern.relay.RelayPolicyTest.FixedPolicy;
import dev.tern.relay.plane.DataPlaneMode;
import dev.tern.spi.RelayListener.Plane;
import dev.tern.turn.client.TurnClient;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code max_bitrate} is a budget for each direction (#22 point 5): a call sending 128 kbit/s each way through a
 * relay that limits its user to 64 kbit/s gets about 64 kbit/s each way, on both data planes, where one bucket for
 * both directions let the return direction starve (21 kbit/s came back). Real relay, real sockets, loopback.
 */
class BandwidthPerDirectionIT {

    private static final int LIMIT_BYTES_PER_SECOND = 64_000 / 8;
    private static final int PAYLOAD = 160;
    /** 160 bytes every 10 ms: 128 kbit/s of payload, twice the limit. */
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * Not measured: long enough to spend the 16 KiB burst at twice the limit (about 2 s), and on the kernel plane
     * for the once-a-second charge to have taken the routes out and user space to have paid off the debt the
     * kernel ran up (the kernel forwards up to a poll interval's worth beyond the limit).
     */
    private static long warmUpNanos(DataPlaneMode mode) {
        return TimeUnit.MILLISECONDS.toNanos(mode == DataPlaneMode.KERNEL ? 4500 : 2500);
    }

    private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(2000);
    private static final int CHANNEL = 0x4000;

    /** Payload bytes one side received while {@code measuring}; drains its socket until {@code stop}. */
    private static final class Receiver extends Thread {
        final AtomicLong bytes = new AtomicLong();
        private final AtomicBoolean measuring;
        private final AtomicBoolean stop;
        private final Runnable receiveOne;

        Receiver(String name, AtomicBoolean measuring, AtomicBoolean stop, Runnable receiveOne) {
            super(name);
            this.measuring = measuring;
            this.stop = stop;
            this.receiveOne = receiveOne;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!stop.get()) {
                try {
                    receiveOne.run();
                    if (measuring.get()) {
                        bytes.addAndGet(PAYLOAD);
                    }
                } catch (UncheckedIOException timeoutOrClosed) {
                    // nothing within the timeout, or the socket closed at the end
                }
            }
        }
    }

    private static void sendsTwiceTheLimitEachWayAndGetsTheLimitEachWay(DataPlaneMode mode) throws Exception {
        try (FixedPolicy policy = new FixedPolicy(TurnPolicy.builder().maxBitrate(Bitrate.parse("64k")).build());
                RelayFixture relay = RelayFixture.start(RelayFixture.config(List.of("127.0.0.1"), null)
                        .toBuilder().dataPlane(mode).build(), policy);
                TurnClient client = relay.client("@alice:tern.test");
                DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            if (mode == DataPlaneMode.KERNEL) {
                assertEquals(Plane.KERNEL, relay.server().dataPlane().plane(), relay.server().dataPlane().reason());
            }
            InetSocketAddress relayed = client.allocate().grant().relayed().orElseThrow();
            assertTrue(client.channelBind(CHANNEL, (InetSocketAddress) peer.getLocalSocketAddress()).success());
            peer.setSoTimeout(200);
            AtomicBoolean measuring = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            Receiver atPeer = new Receiver("at-peer", measuring, stop, () -> receive(peer));
            Receiver atClient = new Receiver("at-client", measuring, stop, client::receive);
            atPeer.start();
            atClient.start();
            byte[] payload = new byte[PAYLOAD];
            DatagramPacket toRelayed = new DatagramPacket(payload, PAYLOAD, relayed);
            long warmUp = warmUpNanos(mode);
            long start = System.nanoTime();
            long sent = 0;
            while (System.nanoTime() - start < warmUp + WINDOW_NANOS) {
                long elapsed = System.nanoTime() - start;
                measuring.set(elapsed >= warmUp);
                for (; sent <= elapsed / INTERVAL_NANOS; sent++) {
                    client.sendChannelData(CHANNEL, payload);
                    peer.send(toRelayed);
                }
                Thread.sleep(2);
            }
            Thread.sleep(100); // what was in flight when sending stopped
            measuring.set(false);
            stop.set(true);
            client.close();
            peer.close();
            atPeer.join(2000);
            atClient.join(2000);
            double seconds = WINDOW_NANOS / 1e9;
            double toPeer = atPeer.bytes.get() / seconds;
            double toClient = atClient.bytes.get() / seconds;
            String rates = String.format("client to peer %.0f B/s, peer to client %.0f B/s, limit %d B/s each way, "
                    + "%d packets sent each way", toPeer, toClient, LIMIT_BYTES_PER_SECOND, sent);
            assertTrue(toPeer >= 0.7 * LIMIT_BYTES_PER_SECOND, "the client's sending was starved: " + rates);
            assertTrue(toClient >= 0.7 * LIMIT_BYTES_PER_SECOND, "the return direction was starved: " + rates);
            assertTrue(toPeer <= 1.3 * LIMIT_BYTES_PER_SECOND, "the limit held no sending back: " + rates);
            assertTrue(toClient <= 1.3 * LIMIT_BYTES_PER_SECOND, "the limit held no receiving back: " + rates);
        }
    }

    private static void receive(DatagramSocket socket) {
        try {
            socket.receive(new DatagramPacket(new byte[2048], 2048));
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void eachDirectionGetsTheLimitInUserSpace() throws Exception {
        sendsTwiceTheLimitEachWayAndGetsTheLimitEachWay(DataPlaneMode.USER);
    }

    @Test
    void eachDirectionGetsTheLimitOnTheKernelPlane() throws Exception {
        sendsTwiceTheLimitEachWayAndGetsTheLimitEachWay(DataPlaneMode.KERNEL);
    }
}
