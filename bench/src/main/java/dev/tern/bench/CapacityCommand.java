package dev.tern.bench;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.tern.bench.load.LoadSettings;
import dev.tern.bench.load.ProcessCpu;
import dev.tern.bench.load.ProcessMemory;
import dev.tern.bench.load.RelayLoad;
import dev.tern.bench.load.RelayUnderTest;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The {@code capacity} subcommand: how many allocations a server makes per second and what each costs
 * in memory, coturn against Tern's relay in turn (A B A B), each in its own process on loopback.
 *
 * <p>Per server start: N allocations are made and deleted {@code --warm-ups} times (the first is
 * reported as the cold rate: the server's and this client's JVMs are still compiling), then N again
 * (warm), timed from the first request to the last channel bound, with the server's CPU time until
 * then per allocation, and measured while all N live: the server's resident memory growth since it started, divided by N, and
 * for Tern its heap in use after a full GC, less the heap after the cold run's allocations were deleted,
 * divided by N. Kernel socket memory is in neither.
 */
final class CapacityCommand {

    private CapacityCommand() {
    }

    /**
     * One server's measurements in one round; as JSON one flat object.
     *
     * @param made the warm run's allocations
     * @param rates how fast it made them
     * @param costs what each of them cost the server
     */
    record Round(String server, int round, @JsonUnwrapped Made made, @JsonUnwrapped Rates rates,
            @JsonUnwrapped Costs costs) {
    }

    /** Allocations the warm run made and failed to make. */
    record Made(int allocationsOk, int allocationsFailed) {
    }

    /** Allocations made per second: the first run (cold) and the measured one (warm). */
    record Rates(double coldPerSecond, double warmPerSecond) {
    }

    /**
     * What one allocation cost the server while the warm run's lived.
     *
     * @param heapBytesPerAllocation -1 where the server's heap cannot be read (coturn)
     */
    record Costs(double cpuMicrosPerAllocation, long residentBytesPerAllocation, long heapBytesPerAllocation) {
    }

    /** What was measured while the warm run's allocations lived. */
    private record Live(double cpuSeconds, long residentBytes, OptionalLong heapBytes) {
    }

    static int run(String[] argv, PrintStream out) throws Exception {
        Args args = new Args(argv, Set.of("json"));
        int allocations = args.integer("allocations", 10_000);
        int rounds = args.integer("rounds", 2);
        int warmUps = args.integer("warm-ups", 3);
        int threads = args.integer("threads", Runtime.getRuntime().availableProcessors());
        boolean json = args.flag("json");
        String serverCpus = args.string("server-cpus", null);
        List<String> jvmOptions = List.of(args.string("tern-jvm-options", "-Xmx1g").split(" "));
        args.rejectUnknown();
        if (warmUps < 1) {
            throw new IllegalArgumentException("--warm-ups must be at least 1");
        }
        if (allocations < 1 || allocations > 20_000) {
            throw new IllegalArgumentException("--allocations must be from 1 to 20000 (the relay port ranges hold 40000)");
        }
        String secret = SideBySide.newSecret();
        List<Round> results = SideBySide.alternate(rounds, secret, threads, jvmOptions, serverCpus,
                (server, name, round) -> {
                    Round r = measure(server, round, secret, allocations, warmUps);
                    if (!json) {
                        out.printf("round %d %-6s: %d allocations (%d failed), cold %.0f/s, warm %.0f/s, "
                                + "server CPU %.0f us, resident memory +%d B per allocation%s%n", round, name,
                                r.made().allocationsOk(), r.made().allocationsFailed(), r.rates().coldPerSecond(),
                                r.rates().warmPerSecond(), r.costs().cpuMicrosPerAllocation(),
                                r.costs().residentBytesPerAllocation(), r.costs().heapBytesPerAllocation() >= 0
                                        ? ", heap " + r.costs().heapBytesPerAllocation() + " B per allocation" : "");
                    }
                    return r;
                });
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("allocations", allocations);
        summary.put("cores", Runtime.getRuntime().availableProcessors());
        summary.put("threads", threads);
        summary.put("serverCpus", serverCpus == null ? "any" : serverCpus);
        summary.put("warmAllocationRateRatio", ratio(results, r -> r.rates().warmPerSecond()));
        summary.put("cpuPerAllocationRatio", ratio(results, r -> r.costs().cpuMicrosPerAllocation()));
        summary.put("residentMemoryPerAllocationRatio", ratio(results, r -> r.costs().residentBytesPerAllocation()));
        summary.put("ternHeapBytesPerAllocation", ternMean(results, r -> r.costs().heapBytesPerAllocation()));
        summary.put("ternWarmAllocationsPerSecond", ternMean(results, r -> r.rates().warmPerSecond()));
        summary.put("rounds", results);
        if (json) {
            SideBySide.printJson(out, summary);
        } else {
            out.printf("Tern/coturn: warm allocation rate %.2f, server CPU per allocation %.2f, resident memory per "
                    + "allocation %.2f; Tern: %.0f allocations/s, %.0f B of heap per allocation%n",
                    summary.get("warmAllocationRateRatio"), summary.get("cpuPerAllocationRatio"),
                    summary.get("residentMemoryPerAllocationRatio"),
                    summary.get("ternWarmAllocationsPerSecond"), summary.get("ternHeapBytesPerAllocation"));
        }
        return 0;
    }

    private static Round measure(RelayUnderTest server, int round, String secret, int allocations, int warmUps)
            throws IOException, InterruptedException {
        ProcessMemory memory = new ProcessMemory(server.pid());
        long residentAtStart = memory.residentBytes();
        RelayLoad.Held<Void> cold = new RelayLoad(settings(server, secret, "cold", allocations)).hold(() -> null);
        for (int i = 1; i < warmUps; i++) {
            new RelayLoad(settings(server, secret, "warm-up" + i, allocations)).hold(() -> null);
        }
        OptionalLong heapBefore = server.heapUsedAfterGc();
        ProcessCpu cpu = new ProcessCpu(server.pid());
        double cpuBefore = cpu.seconds();
        RelayLoad.Held<Live> warm = new RelayLoad(settings(server, secret, "warm", allocations))
                .hold(() -> new Live(cpu.seconds() - cpuBefore, memory.residentBytes(), server.heapUsedAfterGc()));
        int ok = Math.max(1, warm.allocations().ok());
        long heapPerAllocation = heapBefore.isPresent() && warm.measured().heapBytes().isPresent()
                ? (warm.measured().heapBytes().getAsLong() - heapBefore.getAsLong()) / ok : -1;
        return new Round(server.name(), round, new Made(warm.allocations().ok(), warm.allocations().failed()),
                new Rates(cold.allocations().perSecond(), warm.allocations().perSecond()),
                new Costs(warm.measured().cpuSeconds() * 1e6 / ok,
                        (warm.measured().residentBytes() - residentAtStart) / ok, heapPerAllocation));
    }

    private static LoadSettings settings(RelayUnderTest server, String secret, String user, int allocations) {
        return LoadSettings.builder()
                .server(server.address())
                .secret(secret)
                .user(user)
                .allocations(allocations)
                .rate(1)
                .size(160)
                .duration(Duration.ofSeconds(1))
                .peerHost("127.0.0.1")
                .build();
    }

    private static double ratio(List<Round> results, java.util.function.ToDoubleFunction<Round> metric) {
        return SideBySide.ratio(results, Round::server, metric);
    }

    private static double ternMean(List<Round> results, java.util.function.ToDoubleFunction<Round> metric) {
        return SideBySide.mean(results, Round::server, "tern", metric);
    }
}
