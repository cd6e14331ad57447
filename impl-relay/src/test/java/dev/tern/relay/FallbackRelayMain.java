package dev.tern.relay;

import dev.tern.api.PolicyEvaluator;
import dev.tern.spi.DataPlaneStatus;
import dev.tern.stun.ChannelNumbers;
import java.io.InputStream;
import java.util.List;

/**
 * A relay in a child JVM for {@link PlaneFallbackIT}: on loopback (loopback peers allowed), with the data plane
 * named by the first argument ({@code auto} without one). Prints {@code port=N} once listening, serves until its standard input closes, then prints what each
 * plane carried ({@code plane=user user_packets=N kernel_packets=N}) and stops.
 */
public final class FallbackRelayMain {

    private FallbackRelayMain() {
    }

    public static void main(String[] args) throws Exception {
        RelayConfig config = new RelayConfig(RelayFixture.REALM, List.of("udp://127.0.0.1:0"), null, null, null, null,
                "40000-60000", List.of("127.0.0.1"), null, null, null, null, null, null, null, null, null, null, null,
                null, 2, null, null, args.length > 0 ? args[0] : "auto", null, null);
        try (RelayFixture relay = RelayFixture.start(config.withChannelNumbers(ChannelNumbers.COTURN),
                PolicyEvaluator.PERMISSIVE)) {
            System.out.println("port=" + relay.port());
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // serve until the test closes our standard input
            }
            Thread.sleep(1500); // one more traffic report
            DataPlaneStatus status = relay.server().dataPlane();
            System.out.println("plane=" + status.plane().name().toLowerCase(java.util.Locale.ROOT) + " user_packets="
                    + status.user().packets() + " kernel_packets=" + status.kernel().packets());
            System.out.flush();
        }
    }
}
