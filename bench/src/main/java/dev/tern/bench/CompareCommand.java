package dev.tern.bench;

import dev.tern.bench.load.LoadResult;
import dev.tern.bench.load.LoadSettings;
import dev.tern.bench.load.RelayCommand;
import dev.tern.bench.load.RelayLoad;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The {@code compare} subcommand: coturn and Tern's relay in turn (A B A B), each in its own process
 * on loopback with the same secret and the same load; after a warm-up per start (allocations made
 * and deleted, {@code --warm-up-allocations 9000}, so the measured run's own allocations do not set a
 * JIT compiling on the server's core while packets are timed), one run at the fixed rate whose first
 * {@code --warm-up 3s} are not measured (the same allocations carry the same load before and during
 * the measurement: deleting warm-up allocations and making new ones just before it made Tern's JIT
 * recompile the event loop while packets were timed) and, with {@code --ramp}, a ramp for the highest
 * sustainable rate (each step measured after {@code --ramp-lead-in 2s} at its rate).
 * Prints each run and the ratios Tern/coturn: of the means over rounds, and the spread of the rounds' own
 * ratios ({@link RatioSpread}: geometric mean with a 95 % interval, median, range).
 *
 * <p>With {@code --pairs N} both servers run at once instead, each started, warmed up (the allocations made
 * and deleted, then one unmeasured run) once, and N pairs of fixed-rate runs follow back to back, the first
 * of a pair alternating ({@link SideBySide#paired}): many short, paired measurements in the time a few
 * rounds take, whose ratios the interval summarises. Both servers get {@code --threads}
 * threads (coturn's {@code relay-threads}, Tern's event loops); {@code --server-cpus 1} pins them with
 * {@code taskset} (run the bench itself under {@code taskset -c 0} so load and server do not share a core).
 */
final class CompareCommand {

    private CompareCommand() {
    }

    /** One server's measurements in one round. */
    record Round(String server, int round, LoadResult fixed, int maxRate, RelayCommand.RampEnd rampEnd) {
    }

    static int run(String[] argv, PrintStream out) throws Exception {
        Args args = new Args(argv, Set.of("json", "ramp"));
        int allocations = args.integer("allocations", 100);
        int rate = args.integer("rate", 500);
        int size = args.integer("size", 160);
        Duration duration = args.duration("duration", Duration.ofSeconds(10));
        int rounds = args.integer("rounds", 2);
        int pairs = args.integer("pairs", 0);
        Duration warmUp = args.duration("warm-up", Duration.ofSeconds(3));
        int warmUpAllocations = args.integer("warm-up-allocations", 9000);
        int threads = args.integer("threads", Runtime.getRuntime().availableProcessors());
        boolean ramp = args.flag("ramp");
        int rampStart = args.integer("ramp-start", Math.max(1, rate / 2));
        int rampSteps = args.integer("ramp-steps", 12);
        double rampFactor = Double.parseDouble(args.string("ramp-factor", "1.25"));
        Duration rampDuration = args.duration("ramp-duration", Duration.ofSeconds(5));
        Duration rampLeadIn = args.duration("ramp-lead-in", Duration.ofSeconds(2));
        boolean json = args.flag("json");
        String serverCpus = args.string("server-cpus", null);
        List<String> jvmOptions = List.of(args.string("tern-jvm-options", "-Xmx1g").split(" "));
        args.rejectUnknown();
        if (warmUpAllocations < 0) {
            throw new IllegalArgumentException("--warm-up-allocations must be 0 or more");
        }
        if (pairs < 0) {
            throw new IllegalArgumentException("--pairs must be 0 (rounds) or more");
        }
        if (pairs > 0 && args.string("rounds", null) != null) {
            throw new IllegalArgumentException("give --rounds or --pairs, not both");
        }
        if (pairs > 0 && ramp) {
            throw new IllegalArgumentException("--pairs measures at one rate; run --ramp with --rounds instead");
        }
        String secret = SideBySide.newSecret();
        SideBySide.Turn<LoadResult> fixedRun = (server, name, round) -> new RelayLoad(LoadSettings.builder()
                .server(server.address())
                .secret(secret)
                .user("bench")
                .allocations(allocations)
                .rate(rate)
                .size(size)
                .duration(duration)
                .serverPid(OptionalLong.of(server.pid()))
                .peerHost("127.0.0.1")
                .build()).run(warmUp);
        SideBySide.Turn<Round> measured = (server, name, round) -> {
            if (pairs == 0) {
                SideBySide.churnAllocations(server, secret, warmUpAllocations);
            }
            LoadResult fixed = fixedRun.measure(server, name, round);
            int maxRate = -1;
            RelayCommand.RampEnd rampEnd = null;
            if (ramp) {
                LoadSettings rampSettings = LoadSettings.builder()
                        .server(server.address())
                        .secret(secret)
                        .user("ramp")
                        .allocations(allocations)
                        .rate(rampStart)
                        .size(size)
                        .duration(rampDuration)
                        .serverPid(OptionalLong.of(server.pid()))
                        .peerHost("127.0.0.1")
                        .build();
                RelayCommand.RampResult ramped = RelayCommand.ramp(rampSettings, rampFactor, rampSteps,
                        rampLeadIn, json ? null : out);
                maxRate = ramped.bestRate();
                rampEnd = ramped.end();
            }
            if (!json) {
                out.printf("%s %d %-6s: offered %.0f/s loss %.3f %% p99 %.0f us cpu %.2f us/pkt "
                        + "(user %.2f) drops server %d generator %d, generator CPU %.0f %%%s%n",
                        pairs == 0 ? "round" : "pair", round, name,
                        fixed.packets().offeredPps(), fixed.packets().lossPercent(), fixed.rtt().p99Micros(),
                        fixed.serverCpu().cpuMicrosPerRelayedPacket(),
                        fixed.serverCpu().userCpuMicrosPerRelayedPacket(),
                        fixed.generator().serverSocketDrops(), fixed.generator().generatorSocketDrops(),
                        100 * fixed.generator().generatorCpuShare(),
                        ramp ? String.format(" max rate %d/s per allocation (%d/s)%s", maxRate,
                                (long) maxRate * allocations, rampEnd.serverLimit() ? ""
                                        : " a lower bound: " + rampEnd) : "");
            }
            return new Round(name, round, fixed, maxRate, rampEnd);
        };
        List<Round> results = pairs == 0
                ? SideBySide.alternate(rounds, secret, threads, jvmOptions, serverCpus, measured)
                : SideBySide.paired(pairs, secret, threads, jvmOptions, serverCpus, server -> {
                    // Once per server: what the round mode does before every round, then one unmeasured run
                    // of the measured load, so the first pair does not meet a cold JIT.
                    SideBySide.churnAllocations(server, secret, warmUpAllocations);
                    LoadResult warm = fixedRun.measure(server, server.name(), 0);
                    if (!json) {
                        out.printf("warm-up %-6s: offered %.0f/s loss %.3f %% cpu %.2f us/pkt (not counted)%n",
                                server.name(), warm.packets().offeredPps(), warm.packets().lossPercent(),
                                warm.serverCpu().cpuMicrosPerRelayedPacket());
                    }
                }, measured);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("allocations", allocations);
        summary.put("ratePerAllocation", rate);
        summary.put("size", size);
        summary.put("cores", Runtime.getRuntime().availableProcessors());
        summary.put("threads", threads);
        summary.put("serverCpus", serverCpus == null ? "any" : serverCpus);
        summary.put("mode", pairs == 0 ? "rounds" : "pairs");
        summary.put("cpuPerRelayedPacketRatio", ratio(results, r -> r.fixed().serverCpu().cpuMicrosPerRelayedPacket()));
        summary.put("userCpuPerRelayedPacketRatio",
                ratio(results, r -> r.fixed().serverCpu().userCpuMicrosPerRelayedPacket()));
        summary.put("p99RttRatio", ratio(results, r -> r.fixed().rtt().p99Micros()));
        List<Double> cpuRounds = roundRatios(results, r -> r.fixed().serverCpu().cpuMicrosPerRelayedPacket());
        List<Double> p99Rounds = roundRatios(results, r -> r.fixed().rtt().p99Micros());
        List<Double> userRounds = roundRatios(results, r -> r.fixed().serverCpu().userCpuMicrosPerRelayedPacket());
        summary.put("cpuPerRelayedPacketRatioPerRound", cpuRounds);
        summary.put("cpuPerRelayedPacketRatioSpread", RatioSpread.of(cpuRounds));
        summary.put("userCpuPerRelayedPacketRatioSpread", RatioSpread.of(userRounds));
        summary.put("p99RttRatioPerRound", p99Rounds);
        summary.put("p99RttRatioSpread", RatioSpread.of(p99Rounds));
        long lowerBounds = results.stream().filter(r -> r.rampEnd() != null && !r.rampEnd().serverLimit()).count();
        if (ramp) {
            summary.put("maxSustainableRateRatio", ratio(results, r -> r.maxRate()));
            summary.put("maxSustainableRateRatioPerRound", roundRatios(results, r -> r.maxRate()));
            summary.put("maxRatesThatAreLowerBounds", lowerBounds);
        }
        summary.put("rounds", results);
        if (json) {
            SideBySide.printJson(out, summary);
        } else {
            String per = pairs == 0 ? "round" : "pair";
            out.printf("Tern/coturn, ratio of the means: CPU per relayed packet %.2f (user space %.2f), p99 RTT %.2f%s%n",
                    summary.get("cpuPerRelayedPacketRatio"), summary.get("userCpuPerRelayedPacketRatio"),
                    summary.get("p99RttRatio"), ramp ? String.format(", max sustainable rate %.2f",
                            summary.get("maxSustainableRateRatio")) : "");
            out.printf("Tern/coturn per %s, geometric mean: CPU per relayed packet %s%n", per,
                    RatioSpread.of(cpuRounds).describe());
            out.printf("  user space %s%n", RatioSpread.of(userRounds).describe());
            out.printf("  p99 RTT %s%n", RatioSpread.of(p99Rounds).describe());
            if (ramp) {
                out.printf("  max sustainable rate %s%n", RatioSpread.of(roundRatios(results, r -> r.maxRate()))
                        .describe());
            }
            if (lowerBounds > 0) {
                out.printf("%d of %d max rates are lower bounds (the load generator was the limit, or the ramp ran "
                        + "out of steps)%n", lowerBounds, results.size());
            }
        }
        return 0;
    }

    private static double ratio(List<Round> results, java.util.function.ToDoubleFunction<Round> metric) {
        return SideBySide.ratio(results, Round::server, metric);
    }

    private static List<Double> roundRatios(List<Round> results, java.util.function.ToDoubleFunction<Round> metric) {
        return SideBySide.roundRatios(results, Round::server, metric);
    }
}
