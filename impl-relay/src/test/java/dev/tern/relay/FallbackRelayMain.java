package dev.tern.relay;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.stun.ChannelNumbers;
import dev.tern.relay.plane.DataPlaneMode;
import dev.tern.spi.DataPlaneStatus;
import java.io.InputStream;

/**
 * A relay in a child JVM for {@link PlaneFallbackIT}: on loopback (loopback peers allowed), with the data plane
 * named by the first argument ({@code auto} without one). Prints {@code port=N} once listening, serves until its standard input closes, then prints what each
 * plane carried ({@code plane=user user_packets=N kernel_packets=N}) and stops.
 */
public final class FallbackRelayMain {

    private FallbackRelayMain() {
    }

    public static void main(String[] args) throws Exception {
        RelayConfig config = RelayConfig.builder(RelayFixture.REALM)
                .listen("udp://127.0.0.1:0")
                .ports("40000-60000")
                .allowedPeers("127.0.0.1")
                .threads(2)
                .dataPlane(DataPlaneMode.parse(args.length > 0 ? args[0] : "auto"))
                .channelNumbers(ChannelNumbers.COTURN)
                .build();
        try (RelayFixture relay = RelayFixture.start(config,
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
