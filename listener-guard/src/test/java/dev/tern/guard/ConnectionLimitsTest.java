package dev.tern.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.MetricsRecorder;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** {@link ConnectionLimits}: total and per-source caps, released when connections close. */
class ConnectionLimitsTest {

    /** An embedded connection from {@code ip}. */
    private static final class From extends EmbeddedChannel {
        private final String ip;

        From(String ip, ConnectionLimits limits) {
            super(false, false);
            this.ip = ip;
            pipeline().addLast(limits);
            try {
                register();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress(ip, 40000);
        }
    }

    private static ConnectionLimits limits(int total, int perSource) {
        return new ConnectionLimits("test", total, perSource, new DescriptorReserve(() -> 0, () -> 1024, 10, 64),
                ClientLogThrottle.perMinute(Clock.systemUTC()), MetricsRecorder.NONE);
    }

    @Test
    void closesConnectionsOverThePerSourceOrTotalLimitAndCountsClosedOnesOut() {
        ConnectionLimits limits = limits(3, 2);
        From a1 = new From("192.0.2.1", limits);
        From a2 = new From("192.0.2.1", limits);
        From a3 = new From("192.0.2.1", limits);
        assertTrue(a1.isActive() && a2.isActive());
        assertFalse(a3.isActive(), "a third connection from one address");
        From b = new From("192.0.2.2", limits);
        assertTrue(b.isActive());
        From c = new From("192.0.2.3", limits);
        assertFalse(c.isActive(), "a fourth connection in total");
        assertEquals(3, limits.open());
        a1.close();
        From c2 = new From("192.0.2.3", limits);
        assertTrue(c2.isActive(), "room again once a connection closed");
        From a4 = new From("192.0.2.1", limits);
        assertFalse(a4.isActive(), "the total is reached again");
        c2.close();
        From a5 = new From("192.0.2.1", limits);
        assertTrue(a5.isActive(), "the refused connection gave its source's place back");
        for (EmbeddedChannel ch : new EmbeddedChannel[] {a2, b, a5}) {
            ch.close();
        }
        assertEquals(0, limits.open());
    }

    @Test
    void neverCountsAConnectionItIsAboutToRefuse() throws Exception {
        ConnectionLimits limits = limits(1000, 50);
        java.util.concurrent.atomic.AtomicInteger highest = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean flooding = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (flooding.get()) {
                highest.accumulateAndGet(limits.open(), Math::max);
            }
        });
        watcher.start();
        Thread[] flood = new Thread[4];
        for (int t = 0; t < flood.length; t++) {
            flood[t] = new Thread(() -> {
                for (int i = 0; i < 5000; i++) {
                    new From("192.0.2.9", limits);
                }
            });
            flood[t].start();
        }
        for (Thread t : flood) {
            t.join();
        }
        flooding.set(false);
        watcher.join();
        assertEquals(50, limits.open());
        assertEquals(50, highest.get(), "the most open() ever showed");
    }

    @Test
    void refusesEveryNewConnectionWhileTheDescriptorReserveIsReachedAndCountsIt() {
        java.util.concurrent.atomic.AtomicLong open = new java.util.concurrent.atomic.AtomicLong(900);
        java.util.List<String> counted = new java.util.concurrent.CopyOnWriteArrayList<>();
        MetricsRecorder metrics = new MetricsRecorder() {
            @Override
            public void count(String name, java.util.Map<String, String> tags, long amount) {
                counted.add(name + tags.get("listener") + "/" + tags.get("reason"));
            }

            @Override
            public void time(String name, java.util.Map<String, String> tags, java.time.Duration duration) {
            }
        };
        ConnectionLimits limits = new ConnectionLimits("http", 100, 10, DescriptorReserve.forHttpOf(open::get, () -> 1024),
                ClientLogThrottle.perMinute(Clock.systemUTC()), metrics);
        From admitted = new From("192.0.2.1", limits);
        assertTrue(admitted.isActive(), "900 of 1024 open: below the reserve of 102");
        open.set(922);
        From refused = new From("192.0.2.2", limits);
        assertFalse(refused.isActive(), "922 of 1024 open: the reserve is reached");
        assertEquals(1, limits.open(), "a refused connection gives its place back");
        assertEquals(java.util.List.of(ConnectionLimits.REFUSED_METRIC + "http/descriptors"), counted);
        admitted.close();
    }
}
