package dev.tern.bench.overhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The compiled load client and counting echo peer on loopback: window packets are counted at both ends. */
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

            ClientRun run = new LoadClient(tools.turnLoad(), List.of(),
                    List.of(ProcessHandle.current().pid(), peer.pid())).run(tuples, 2000, Duration.ofMillis(300),
                    Duration.ofMillis(1000), 160);
            long atPeer = peer.takeCount();
            ClientRun.Packets packets = run.packets();

            assertTrue(packets.sent() >= 1900 && packets.sent() <= 2100, "2 000/s for 1 s: " + run);
            assertTrue(packets.leadSent() > 0, "the lead-in sent packets too, unmarked: " + run);
            // Only window packets count at either end (the lead-in's would make more than were sent); on a machine
            // busy with other work loopback may still drop a few, so no exact count.
            assertTrue(packets.received() > 0.9 * packets.sent() && packets.received() <= packets.sent(),
                    "the window's packets came back, and only they were counted: " + run);
            assertTrue(atPeer >= packets.received() && atPeer <= packets.sent(),
                    "the peer counted the window's packets it echoed, and only those: " + atPeer + ", " + run);
            assertEquals(0, packets.sendFailed());
            assertTrue(run.cpu().machine().totalTicks() > 0, "the window's /proc/stat readings: " + run);
            assertTrue(run.cpu().otherTicks() >= 0, "other processes' CPU: " + run);
        }
    }
}
