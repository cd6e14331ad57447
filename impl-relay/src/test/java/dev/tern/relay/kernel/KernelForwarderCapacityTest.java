package dev.tern.relay.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The forwarder's maps are bounded: at {@link KernelForwarder#MAX_ROUTES} it refuses, and frees on remove. */
class KernelForwarderCapacityTest {

    private static final long MINUTE = 60_000_000_000L;

    @Test
    void refusesRoutesBeyondItsMaximumAndTakesOneAgainAfterARemove() throws Exception {
        try (KernelForwarder forwarder = KernelForwarder.open(List.of("lo"))) {
            for (int i = 0; i < KernelForwarder.MAX_ROUTES; i++) {
                forwarder.install(route(i), MINUTE);
            }
            forwarder.install(route(7), 2 * MINUTE); // renewing an installed route needs no new room
            IllegalStateException full = assertThrows(IllegalStateException.class,
                    () -> forwarder.install(route(KernelForwarder.MAX_ROUTES), MINUTE));
            assertTrue(full.getMessage().contains("maximum of 65536 routes"), full.getMessage());

            assertEquals(RouteCounters.ZERO, forwarder.remove(route(123)));
            forwarder.install(route(KernelForwarder.MAX_ROUTES), MINUTE);
            assertEquals(RouteCounters.ZERO, forwarder.counters(route(KernelForwarder.MAX_ROUTES)));
        }
    }

    /** A distinct route per index, in documentation address space (never on the wire: nothing is sent). */
    private static ChannelRoute route(int i) throws Exception {
        // client and peer keys both distinct, so each of the two hash maps fills to the maximum too
        InetAddress client = InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, (byte) (1 + i % 200)});
        InetAddress relay = InetAddress.getByName("192.0.2.1");
        InetAddress peer = InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, (byte) (1 + i % 200)});
        int port = 1024 + i / 200;
        return ChannelRoute.of(new InetSocketAddress(client, port), new InetSocketAddress(relay, 3478),
                new InetSocketAddress(relay, 1024 + i / 64), new InetSocketAddress(peer, port),
                0x4000 + i % 64);
    }
}
