package dev.tern.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fields of the soak's JSON report, which scripts and the soak IT read. */
class SoakReportJsonTest {

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void writesTheFootprintsAndEachFlowAsFlatObjectsWithTheirLegs() throws Exception {
        Footprint start = new Footprint(new Footprint.Resources(20L << 20, 31, Map.of("tcp LISTEN", 4), 35,
                Map.of("tern-relay-#-#", 2)), new Footprint.Live(1, 2), 3, new Footprint.Totals(4, 50));
        FlowResult flow = new FlowResult(new FlowPlan(0, TurnTransport.UDP, 50, 160),
                new FlowResult.ClientCounts(100, 98, 0, 1, 0, List.of(3L)), new FlowResult.Legs(100, 100, 100, 100),
                new FlowResult.SocketDrops(0, 2), "");
        SoakReport report = new SoakReport(Duration.ofMinutes(1), "data plane: kernel",
                new SoakReport.Footprints(start, start, SoakRun.checks(start, start)), List.of(flow),
                new SoakReport.Drops(new UdpSocketDrops(1, 2, 3, 4, 5, 6), new MachineUdpCounters(1, 2, 3, 4, 5),
                        new ControlResult(100, 100, 0, 0)), List.of());

        JsonNode json = new ObjectMapper().readTree(report.json());

        assertEquals(List.of("durationSeconds", "passed", "dataPlane", "start", "end", "checks", "flows", "udpDrops",
                "machineDrops", "loopbackControl", "activities"), names(json));
        assertEquals(List.of("heapUsedAfterGc", "fileDescriptors", "fileDescriptorsByKind", "threads", "threadsByName",
                "allocations", "rateLimitBuckets", "leakReports", "quotaDrops", "allocationsCreated"),
                names(json.get("start")));
        JsonNode f = json.get("flows").get(0);
        assertEquals(List.of("id", "transport", "rate", "size", "sent", "received", "late", "asIndications", "garbled",
                "firstLost", "relayedToPeer", "peerReceived", "peerEchoed", "relayedFromPeer", "relaySocketDrops",
                "clientSocketDrops", "error", "lost", "lostByClient", "lostNotByClient", "lostClientToRelay",
                "lostRelayToPeer", "lostPeerToRelay", "lostRelayToClient"), names(f));
        assertEquals("udp", f.get("transport").asText());
        assertEquals(2, f.get("lostByClient").asLong());
        assertEquals(50, json.get("start").get("allocationsCreated").asLong());
    }
}
