package dev.tern.bench;

import dev.tern.bench.load.Coturn;
import dev.tern.bench.load.ProcessCpu;
import dev.tern.bench.load.RelayCommand;
import dev.tern.bench.load.RelayUnderTest;
import dev.tern.bench.load.TernRelayProcess;
import dev.tern.bench.overhead.ChannelAllocations;
import dev.tern.bench.overhead.ClientRun;
import dev.tern.bench.overhead.CompiledTools;
import dev.tern.bench.overhead.CountingEcho;
import dev.tern.bench.overhead.LoadClient;
import dev.tern.bench.overhead.Measurement;
import dev.tern.bench.overhead.OverheadReport;
import dev.tern.bench.overhead.RampSummary;
import dev.tern.testing.PortRange;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code overhead} subcommand: what a relay adds to the whole machine's CPU, per relayed packet, for coturn,
 * Tern's user-space plane and Tern's kernel plane side by side in one run.
 *
 * <p>All relays run at once (each on its own relay ports), beside one counting C echo peer. After one unmeasured
 * run per target at the highest rate ({@code --warm-up 5s}, so no JVM is measured cold), for each round and
 * offered rate, every target is measured in turn, the order rotating from round to round: {@code direct}, the load
 * client sending its payloads straight to the echo peer (the baseline), and each relay, where the bench's Java TURN
 * client first makes the allocations and binds a channel to the echo peer from loopback ports that the C load
 * client ({@code turn-load.c}: raw socket, ChannelData framed once per tuple, {@code sendmmsg}) then sends from.
 * The whole machine's busy time comes from {@code /proc/stat} over the measured window (kernel forwarding runs in
 * softirq, charged to whichever process sent the packet, so a relay's own process CPU would not show it). The
 * overhead per relayed packet is (busy CPU with the relay - busy CPU of the same round's baseline) / packets relayed,
 * both directions counted; ratios to coturn are taken per round and summarised with {@link RatioSpread}. With
 * {@code --ramp}, a ramp per target (interleaved step by step) finds the highest offered rate with loss under
 * {@value RelayCommand#SUSTAINABLE_LOSS_PERCENT} %; {@code direct}'s is what the client and peer themselves manage.
 *
 * <p>Needs root (the raw socket, and the kernel plane), gcc and coturn.
 */
final class OverheadCommand {

    /** The relays it can measure, in report order. */
    static final List<String> RELAYS = List.of("coturn", "tern-user", "tern-kernel", "tern-user-b");

    /**
     * The relay that is Tern's user plane started from another build ({@code --tern-b-jar}), so two builds are
     * compared in the same run, against the same coturn and baseline.
     */
    static final String TERN_USER_B = "tern-user-b";

    /** Relay port ranges, one per relay, so all can run at once. */
    private static final List<PortRange> PORTS = List.of(new PortRange(20000, 29999), new PortRange(30000, 39999),
            new PortRange(40000, 49999), new PortRange(50000, 59999));

    private OverheadCommand() {
    }

    /** The settings of one invocation, by concern; {@code json} prints the summary as JSON instead of tables. */
    private record Settings(Load load, Schedule schedule, Servers servers, Ramp ramp, boolean json) {
    }

    /**
     * What every measured run offers.
     *
     * @param allocations allocations (tuples of the load client) per run
     * @param rates the offered rates, packets per second in total
     * @param size payload bytes per packet
     */
    private record Load(int allocations, List<Integer> rates, int size) {

        Load {
            if (allocations < 1 || allocations > 5000) {
                throw new IllegalArgumentException("--allocations must be 1 to 5000, was " + allocations);
            }
            if (size < 8 || size > 1400) {
                throw new IllegalArgumentException("--size must be 8 to 1400 bytes, was " + size);
            }
        }
    }

    /**
     * When it measures.
     *
     * @param window the measured window of a run
     * @param leadIn the unmeasured lead-in before it
     * @param rounds how many times every target is measured at every rate
     * @param warmUp the unmeasured run per target before the first round (zero: none)
     */
    private record Schedule(Duration window, Duration leadIn, int rounds, Duration warmUp) {

        Schedule {
            if (warmUp.isNegative() || warmUp.toSeconds() > 240) {
                throw new IllegalArgumentException("--warm-up must be 0 to 240 s, was " + warmUp.toSeconds() + " s");
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds must be at least 1, was " + rounds);
            }
            if (window.isZero() || window.isNegative() || leadIn.isNegative()
                    || leadIn.plus(window).toSeconds() > 240) {
                throw new IllegalArgumentException("--duration must be positive and --lead-in plus --duration at "
                        + "most 240 s (permissions are not refreshed)");
            }
        }
    }

    /**
     * The relays and where they run.
     *
     * @param relays the relays measured, in report order
     * @param threads each relay's threads
     * @param serverCpus the CPUs the relays are pinned to ({@code taskset -c}), or null for any
     * @param clientCpus the CPUs the load client and echo peer are pinned to, or null for any
     * @param jvmOptions Tern's JVM options
     * @param ternBJar the other build's tern-bench.jar for {@value OverheadCommand#TERN_USER_B}, or null
     */
    private record Servers(List<String> relays, int threads, String serverCpus, String clientCpus,
            List<String> jvmOptions, String ternBJar) {

        Servers {
            if (relays.contains(TERN_USER_B) != (ternBJar != null)) {
                throw new IllegalArgumentException("--relays names " + TERN_USER_B + " exactly when --tern-b-jar "
                        + "gives the other build's tern-bench.jar");
            }
            if (ternBJar != null && !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(ternBJar))) {
                throw new IllegalArgumentException("--tern-b-jar: no such file: " + ternBJar);
            }
        }

        /** {@code taskset -c CPUS} to pin a process to {@code cpus}, or nothing when null. */
        static List<String> pinnedTo(String cpus) {
            return cpus == null ? List.of() : List.of("taskset", "-c", cpus);
        }
    }

    /**
     * The ramp ({@code --ramp}): from {@code start} packets/s, times {@code factor} each step, at most {@code steps}.
     *
     * @param enabled whether to ramp after the fixed rates
     * @param window the measured window of a step
     * @param leadIn the unmeasured lead-in of a step
     */
    private record Ramp(boolean enabled, int start, double factor, int steps, Duration window, Duration leadIn) {

        Ramp {
            if (enabled && (start < 1 || steps < 1 || !(factor > 1))) {
                throw new IllegalArgumentException("--ramp-start and --ramp-steps must be at least 1 and "
                        + "--ramp-factor above 1");
            }
        }
    }

    static int run(String[] argv, PrintStream out) throws Exception {
        Args args = new Args(argv, Set.of("json", "ramp"));
        Settings s = new Settings(
                new Load(args.integer("allocations", 100), rates(args.string("rates", "20000,40000")),
                        args.integer("size", 160)),
                new Schedule(args.duration("duration", Duration.ofSeconds(5)),
                        args.duration("lead-in", Duration.ofSeconds(2)), args.integer("rounds", 3),
                        args.duration("warm-up", Duration.ofSeconds(5))),
                new Servers(relays(args.string("relays", "coturn,tern-user,tern-kernel")),
                        args.integer("threads", Runtime.getRuntime().availableProcessors()),
                        args.string("server-cpus", null), args.string("client-cpus", null),
                        List.of(args.string("tern-jvm-options", "-Xmx1g").split(" ")), args.string("tern-b-jar", null)),
                new Ramp(args.flag("ramp"), args.integer("ramp-start", 20000),
                        Double.parseDouble(args.string("ramp-factor", "1.2")), args.integer("ramp-steps", 12),
                        args.duration("ramp-duration", Duration.ofSeconds(3)),
                        args.duration("ramp-lead-in", Duration.ofSeconds(1))),
                args.flag("json"));
        args.rejectUnknown();
        String secret = SideBySide.newSecret();
        List<String> clientLauncher = Servers.pinnedTo(s.servers().clientCpus());
        Map<String, RelayUnderTest> servers = new LinkedHashMap<>();
        try (CompiledTools tools = CompiledTools.compile();
                CountingEcho peer = CountingEcho.start(tools.countingEcho(), clientLauncher)) {
            for (String relay : s.servers().relays()) {
                servers.put(relay, start(relay, secret, s.servers(), PORTS.get(RELAYS.indexOf(relay))));
            }
            List<Long> ownPids = new ArrayList<>(List.of(ProcessHandle.current().pid(), peer.pid()));
            servers.values().forEach(server -> ownPids.add(server.pid()));
            Runner runner = new Runner(s, secret, peer, new LoadClient(tools.turnLoad(), clientLauncher, ownPids),
                    servers, out);
            List<Measurement> fixed = new ArrayList<>();
            List<String> targets = new ArrayList<>();
            targets.add(Measurement.DIRECT);
            targets.addAll(s.servers().relays());
            if (!s.schedule().warmUp().isZero()) {
                // Not counted: a fresh JVM compiles its forwarding code under the first load, and every relay
                // meets its first allocations.
                int highest = s.load().rates().stream().mapToInt(Integer::intValue).max().orElseThrow();
                for (String target : targets) {
                    runner.measure(target, highest, 0, Duration.ZERO, s.schedule().warmUp());
                }
            }
            for (int round = 1; round <= s.schedule().rounds(); round++) {
                for (int rate : s.load().rates()) {
                    for (String target : rotate(targets, round - 1)) {
                        fixed.add(runner.measure(target, rate, round, s.schedule().leadIn(), s.schedule().window()));
                    }
                }
            }
            OverheadReport report = OverheadReport.of(fixed, s.servers().relays());
            RampSummary ramp = s.ramp().enabled() ? runner.ramp(targets) : null;
            if (s.json()) {
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("allocations", s.load().allocations());
                summary.put("size", s.load().size());
                summary.put("cores", Runtime.getRuntime().availableProcessors());
                summary.put("threads", s.servers().threads());
                summary.put("serverCpus", s.servers().serverCpus() == null ? "any" : s.servers().serverCpus());
                summary.put("clientCpus", s.servers().clientCpus() == null ? "any" : s.servers().clientCpus());
                summary.put("windowSeconds", s.schedule().window().toMillis() / 1000.0);
                summary.put("rounds", s.schedule().rounds());
                summary.put("rates", report.rates());
                summary.put("measurements", fixed);
                if (ramp != null) {
                    summary.put("ramp", ramp);
                }
                SideBySide.printJson(out, summary);
            } else {
                out.print(report.table(s.schedule().rounds(), s.load().allocations(), s.load().size()));
                if (ramp != null) {
                    out.print(ramp.table(targets));
                }
            }
            return 0;
        } finally {
            for (RelayUnderTest server : servers.values()) {
                server.close();
            }
        }
    }

    private static RelayUnderTest start(String relay, String secret, Servers s, PortRange ports) throws Exception {
        List<String> launcher = Servers.pinnedTo(s.serverCpus());
        return switch (relay) {
            case "coturn" -> Coturn.start(secret, s.threads(), launcher, ports);
            case "tern-user" -> TernRelayProcess.start(secret, s.threads(), s.jvmOptions(), launcher, ports, "user");
            case "tern-kernel" -> TernRelayProcess.start(secret, s.threads(), s.jvmOptions(), launcher, ports,
                    "kernel");
            case TERN_USER_B -> TernRelayProcess.start(secret, s.threads(), s.jvmOptions(), launcher, ports, "user",
                    s.ternBJar());
            default -> throw new IllegalArgumentException("unknown relay " + relay);
        };
    }

    /** Runs the load client against one target and counts what the echo peer saw. */
    private static final class Runner {
        private final Settings settings;
        private final String secret;
        private final CountingEcho peer;
        private final LoadClient client;
        private final Map<String, RelayUnderTest> servers;
        private final PrintStream out;

        Runner(Settings settings, String secret, CountingEcho peer, LoadClient client,
                Map<String, RelayUnderTest> servers, PrintStream out) {
            this.settings = settings;
            this.secret = secret;
            this.peer = peer;
            this.client = client;
            this.servers = servers;
            this.out = out;
        }

        Measurement measure(String target, int rate, int round, Duration leadIn, Duration window) throws Exception {
            return measure(target, rate, round, leadIn, window, round == 0 ? "warm-up" : "round " + round);
        }

        /** One run; {@code label} names it in the progress line. */
        Measurement measure(String target, int rate, int round, Duration leadIn, Duration window, String label)
                throws Exception {
            ChannelAllocations allocations = null;
            List<LoadClient.Tuple> tuples = new ArrayList<>();
            try {
                if (target.equals(Measurement.DIRECT)) {
                    for (int i = 0; i < settings.load().allocations(); i++) {
                        tuples.add(new LoadClient.Tuple(0, peer.address().getPort(), 0));
                    }
                } else {
                    allocations = ChannelAllocations.make(servers.get(target).address(), secret,
                            settings.load().allocations(), peer.address());
                    tuples = allocations.tuples();
                }
                peer.takeCount();
                ProcessCpu relayCpu = allocations == null ? null : new ProcessCpu(servers.get(target).pid());
                ProcessCpu.Times before = relayCpu == null ? null : relayCpu.times();
                long started = System.nanoTime();
                ClientRun run = client.run(tuples, rate, leadIn, window, settings.load().size());
                double relayCores = relayCpu == null ? Double.NaN
                        : relayCpu.times().since(before).total() / ((System.nanoTime() - started) / 1e9);
                Measurement m = new Measurement(target, rate, round, run, peer.takeCount(), relayCores);
                if (!settings.json()) {
                    out.printf(Locale.ROOT, "%d/s %s %-11s: sent %.0f/s, loss %.3f %%, busy %.3f cores (machine %.3f, "
                            + "other processes %.3f), "
                            + "relayed %.0f/s, load client %.2f us per packet, relay process %.3f cores%n", rate,
                            label, target, run.sentPerSecond(), run.lossPercent(), run.busyCores(),
                            run.machineBusyCores(), run.otherCores(), m.relayedPerSecond(),
                            m.clientMicrosPerSent(), relayCores);
                }
                return m;
            } finally {
                if (allocations != null) {
                    allocations.close();
                }
            }
        }

        /**
         * For each target, the highest rate (from {@code --ramp-start}, times {@code --ramp-factor} each step) whose
         * loss stays under the limit; the targets still going run each step in rotating order.
         */
        RampSummary ramp(List<String> targets) throws Exception {
            Map<String, Integer> best = new LinkedHashMap<>();
            Map<String, String> end = new LinkedHashMap<>();
            List<String> going = new ArrayList<>(targets);
            targets.forEach(t -> best.put(t, 0));
            double rate = settings.ramp().start();
            List<Measurement> steps = new ArrayList<>();
            for (int step = 1; step <= settings.ramp().steps() && !going.isEmpty(); step++) {
                int r = (int) Math.round(rate);
                for (String target : rotate(going, step - 1)) {
                    Measurement m = measure(target, r, step, settings.ramp().leadIn(), settings.ramp().window(),
                            "ramp step " + step);
                    steps.add(m);
                    ClientRun c = m.client();
                    if (c.lossPercent() < RelayCommand.SUSTAINABLE_LOSS_PERCENT) {
                        best.put(target, r);
                    } else {
                        boolean behind = c.sentPerSecond() < 0.98 * r || c.packets().sendFailed() > 0;
                        end.put(target, (behind ? "the load client fell behind" : "loss") + String.format(Locale.ROOT,
                                " at %d/s (%.2f %%)", r, c.lossPercent()));
                        going.remove(target);
                    }
                }
                rate *= settings.ramp().factor();
            }
            going.forEach(t -> end.put(t, "steps ran out (a lower bound)"));
            int directBest = best.getOrDefault(Measurement.DIRECT, Integer.MAX_VALUE);
            best.forEach((t, b) -> {
                if (!t.equals(Measurement.DIRECT) && b > 0 && b >= directBest) {
                    end.put(t, end.get(t) + "; as high as the load client and echo peer alone go (direct): a lower "
                            + "bound");
                }
            });
            Map<String, Double> ratios = new LinkedHashMap<>();
            if (best.getOrDefault(OverheadReport.REFERENCE, 0) > 0) {
                best.forEach((t, b) -> ratios.put(t, (double) b / best.get(OverheadReport.REFERENCE)));
            }
            return new RampSummary(RelayCommand.SUSTAINABLE_LOSS_PERCENT, best, end, ratios, steps);
        }
    }

    /** {@code list} rotated left by {@code by}. */
    static <T> List<T> rotate(List<T> list, int by) {
        List<T> rotated = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            rotated.add(list.get((i + by) % list.size()));
        }
        return rotated;
    }

    private static List<Integer> rates(String text) {
        try {
            List<Integer> rates = Arrays.stream(text.split(",")).map(String::trim).map(Integer::parseInt).toList();
            if (rates.isEmpty() || rates.stream().anyMatch(r -> r < 1)) {
                throw new NumberFormatException();
            }
            return rates;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--rates must be packets per second in total, at least 1 each, "
                    + "separated by commas (20000,40000), was '" + text + "'");
        }
    }

    private static List<String> relays(String text) {
        List<String> relays = Arrays.stream(text.split(",")).map(String::trim).toList();
        for (String relay : relays) {
            if (!RELAYS.contains(relay)) {
                throw new IllegalArgumentException("--relays takes " + String.join(", ", RELAYS)
                        + " separated by commas, was '" + text + "'");
            }
        }
        if (relays.stream().distinct().count() != relays.size()) {
            throw new IllegalArgumentException("--relays names a relay twice: '" + text + "'");
        }
        return RELAYS.stream().filter(relays::contains).toList();
    }
}
