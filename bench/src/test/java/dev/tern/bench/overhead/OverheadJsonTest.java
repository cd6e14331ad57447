package dev.tern.bench.overhead;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fields {@code overhead --json} writes for a measurement and a target's summary. */
class OverheadJsonTest {

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Measurement run(String target, int round, long busyTicks) {
        return new Measurement(target, 20000, round, new ClientRun(1_000_000_000L,
                new ClientRun.Packets(20000, 19990, 5, 3), new ClientRun.Cpu(77, new MachineCpu(busyTicks, 200), 10)),
                19995, 0.5);
    }

    @Test
    void aMeasurementsClientRunIsOneFlatObject() {
        JsonNode client = new ObjectMapper().valueToTree(run("coturn", 1, 110)).get("client");

        assertEquals(List.of("windowNanos", "sent", "received", "leadSent", "sendFailed", "clientCpuMicros", "machine",
                "otherTicks"), names(client));
        assertEquals(3, client.get("sendFailed").asLong());
        assertEquals(110, client.get("machine").get("busyTicks").asLong());
    }

    @Test
    void aTargetSummaryIsOneFlatObjectWithItsRatioSpread() {
        List<Measurement> runs = List.of(run("direct", 1, 50), run("coturn", 1, 110), run("tern-user", 1, 80),
                run("direct", 2, 50), run("coturn", 2, 120), run("tern-user", 2, 80));

        JsonNode tern = new ObjectMapper().valueToTree(OverheadReport.of(runs, List.of("coturn", "tern-user")).rates())
                .get(0).get("targets").get(2);

        assertEquals(List.of("target", "rounds", "meanBusyCores", "meanOtherCores", "overheadMicrosPerRound",
                "meanOverheadMicros", "ratioToCoturn", "ratioOfMeans", "meanLossPercent", "maxLossPercent",
                "lossFreeRounds", "meanRelayedPerSecond", "meanClientMicrosPerPacket", "meanRelayProcessCores"),
                names(tern));
        assertEquals(List.of("n", "geometricMean", "low", "high", "median", "min", "max"),
                names(tern.get("ratioToCoturn")));
    }
}
