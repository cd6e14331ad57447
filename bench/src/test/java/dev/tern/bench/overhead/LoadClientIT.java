package dev.tern.bench.overhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The compiled load client and counting echo peer on loopback: every window packet is counted at both ends. */
@Timeout(120)
class LoadClientIT {

    @Test
    void everyWindowPacketReachesThePeerAndComesBack() throws Exception {
        try (CompiledTools tools = CompiledTools.compile();
                CountingEcho peer = CountingEcho.start(tools.countingEcho(), List.of())) {
            List<LoadClient.Tuple> tuples = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tuples.add(new LoadClient.Tuple(0, peer.address().getPort(), 0));
            }
            peer.takeCount();

            ClientRun run = new LoadClient(tools.turnLoad(), List.of()).run(tuples, 2000, Duration.ofMillis(300),
                    Duration.ofMillis(1000), 160);
            long atPeer = peer.takeCount();

            assertTrue(run.sent() >= 1900 && run.sent() <= 2100, "2 000/s for 1 s: " + run);
            assertTrue(run.leadSent() > 0, "the lead-in sent packets too, unmarked: " + run);
            assertEquals(run.sent(), run.received(), "every window packet echoed on loopback: " + run);
            assertEquals(run.sent(), atPeer, "the peer counts the window's packets only");
            assertEquals(0, run.sendFailed());
            assertTrue(run.machine().totalTicks() > 0, "the window's /proc/stat readings: " + run);
        }
    }
}
