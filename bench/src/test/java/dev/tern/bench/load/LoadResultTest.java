package dev.tern.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadResultTest {

    @Test
    void writesEveryFigureAsOneFlatObjectUnderItsOwnName() throws Exception {
        LoadResult r = new LoadResult(new AllocationCount(1, 2, 3.5), new LoadResult.Packets(4.5, 5.5, 6, 7, 8, 9.5),
                new LoadResult.Rtt(10.5, 11.5, 12.5, 13.5), new LoadResult.ServerCpu(14.5, 15.5, 16.5),
                new LoadResult.Generator(0.175, 18, 19));

        JsonNode json = new ObjectMapper().valueToTree(r);

        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("allocationsOk", "allocationsFailed", "allocateSeconds", "offeredPps", "deliveredPps",
                "sent", "peerReceived", "received", "lossPercent", "rttP50Micros", "rttP99Micros", "rttP999Micros",
                "rttMaxMicros", "serverCpuSeconds", "cpuMicrosPerRelayedPacket", "userCpuMicrosPerRelayedPacket",
                "generatorCpuShare", "serverSocketDrops", "generatorSocketDrops"), names);
        assertEquals(12.5, json.get("rttP999Micros").asDouble());
        assertEquals(19, json.get("generatorSocketDrops").asLong());
    }
}
