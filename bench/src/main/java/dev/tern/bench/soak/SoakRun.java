package dev.tern.bench.soak;

import dev.tern.bench.load.EchoPeer;
import dev.tern.bench.load.UdpDrops;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * A soak, start to end: the launcher in its own JVM, warm-up churn, a quiet moment measured, churn plus steady
 * flows for the duration, another quiet moment measured, and the comparison.
 *
 * <p>A quiet moment is reached by waiting until no allocation and no token bucket is left, taking a full GC,
 * sending one more round of bad packets and HTTP requests (Netty's leak detector reports a leaked buffer when
 * it tracks the next one, so a round after the GC brings out leaks of the churn), and waiting again.
 *
 * <p>Not thread-safe: one run per instance.
 */
public final class SoakRun {

    /**
     * How much the heap in use after a full GC may grow. Not zero because the JIT's and the JDK's own lazily
     * filled structures (method handles, string dedup tables, security provider caches the TLS handshakes
     * fill, the HTTP client's connection pool) settle over the first minutes; 8 MiB is small against the
     * 256 MiB heap and would be passed within minutes by a leak of one object per allocation (tens of
     * thousands of allocations an hour, each holding kilobytes).
     */
    static final long HEAP_TOLERANCE_BYTES = 8L << 20;

    private final SoakSettings settings;
    private final PrintStream progress;

    /** @param progress where to say what it is doing (stderr for the command) */
    public SoakRun(SoakSettings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Runs the soak; the launcher is stopped whatever happens. */
    public SoakReport run() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (SoakLauncher launcher = SoakLauncher.start(settings.launcherJar(), settings.workDir(), settings.users(),
                (int) settings.allocationLifetime().toSeconds(), settings.dataPlane(), List.of("-Xmx256m", "-XX:+UseG1GC"), progress);
                EchoPeer echo = new EchoPeer("127.0.0.1");
                FlowEchoPeer flowEcho = new FlowEchoPeer()) {
            say("launcher pid " + launcher.pid() + ", log " + launcher.log() + ", " + launcher.dataPlane()
                    + "; steady flows' echo peer " + flowEcho.address() + ", churn's " + echo.address());
            List<TurnCredentials> credentials = new ArrayList<>();
            for (String token : launcher.tokens().keySet()) {
                credentials.add(TurnCredentials.fetch(http, launcher.http(), token));
            }
            SSLContext tls = TurnTransport.trusting(launcher.certificate());
            List<Activity> all = List.of(
                    new TurnChurn(TurnTransport.UDP, launcher, credentials, echo.address(), tls),
                    new TurnChurn(TurnTransport.TCP, launcher, credentials, echo.address(), tls),
                    new TurnChurn(TurnTransport.TLS, launcher, credentials, echo.address(), tls),
                    new BadPackets(launcher, tls),
                    new HttpChurn(http, launcher.http(), List.copyOf(launcher.tokens().keySet())),
                    new UclientChurn(launcher, credentials, echo.address().getPort(), settings.workDir()));
            List<Activity> churn = all.stream().filter(a -> !settings.skipped().contains(a.name())).toList();
            FootprintProbe probe = new FootprintProbe(launcher, http);

            say("warm-up " + settings.warmUp().toSeconds() + " s");
            List<FlowResult> warmFlows = runChurn(churn, settings.warmUp(), launcher, credentials, echo, flowEcho, tls).flows();
            say("warm-up flows: " + warmFlows);
            Footprint start = quiet(probe, churn);
            say("start: " + start);

            say("churn " + settings.duration().toSeconds() + " s");
            Churned churned = runChurn(churn, settings.duration(), launcher, credentials, echo, flowEcho, tls);
            Footprint end = quiet(probe, churn);
            say("end: " + end);
            if (!launcher.alive()) {
                throw new IOException("the launcher died during the soak:\n" + launcher.output());
            }
            return new SoakReport(settings.duration(), launcher.dataPlane(),
                    new SoakReport.Footprints(start, end, checks(start, end)), churned.flows(), churned.drops(),
                    churned.activities());
        }
    }

    static List<Check> checks(Footprint start, Footprint end) {
        return List.of(
                Check.atMost("heap after full GC (bytes)", start.process().heapUsedAfterGc(),
                        end.process().heapUsedAfterGc(), HEAP_TOLERANCE_BYTES,
                        "8 MiB: lazily filled JDK structures, see SoakRun"),
                Check.atMost("file descriptors", start.process().fileDescriptors(), end.process().fileDescriptors(),
                        0, ""),
                Check.atMost("threads", start.process().threads(), end.process().threads(), 0,
                        "without ForkJoinPool.commonPool, see FootprintProbe"),
                Check.exactly("allocations", start.live().allocations(), end.live().allocations(), 0),
                Check.exactly("rate-limit token buckets", start.live().rateLimitBuckets(),
                        end.live().rateLimitBuckets(), 0),
                Check.exactly("leak reports (LEAK:)", start.leakReports(), end.leakReports(), 0),
                Check.exactly("packets over the quota", start.totals().quotaDrops(), end.totals().quotaDrops(), 0));
    }

    private record Churned(List<FlowResult> flows, List<ActivityResult> activities, SoakReport.Drops drops) {
    }

    private Churned runChurn(List<Activity> churn, Duration length, SoakLauncher launcher,
            List<TurnCredentials> credentials, EchoPeer echo, FlowEchoPeer flowEcho, SSLContext tls)
            throws IOException, InterruptedException {
        UdpDrops before = UdpDrops.now();
        MachineUdpCounters machineBefore = MachineUdpCounters.now();
        long[] peerBefore = new long[settings.flows()];
        long[] echoedBefore = new long[settings.flows()];
        for (int i = 0; i < settings.flows(); i++) {
            peerBefore[i] = flowEcho.received(i);
            echoedBefore[i] = flowEcho.echoed(i);
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<ActivityTally> tallies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (Activity activity : churn) {
            ActivityTally tally = new ActivityTally(activity.name());
            tallies.add(tally);
            threads.add(start("soak-" + activity.name(), () -> {
                while (!stop.get()) {
                    try {
                        activity.cycle();
                        tally.completed();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        tally.failed(e);
                    }
                    sleep(settings.pause());
                }
            }));
        }
        List<SteadyFlow> flows = new ArrayList<>();
        List<Thread> flowThreads = new ArrayList<>();
        for (int i = 0; i < settings.flows(); i++) {
            SteadyFlow flow = new SteadyFlow(new FlowPlan(i, TurnTransport.values()[i % 3], settings.flowRate(),
                    settings.flowSize()), launcher, credentials.get(i % credentials.size()), flowEcho.address(), tls);
            flows.add(flow);
            flowThreads.add(start("soak-flow-" + i, flow));
        }
        LoopbackControl control = new LoopbackControl(settings.flowRate(), settings.flowSize());
        flowThreads.add(start("soak-loopback-control", control));
        long deadline = System.nanoTime() + length.toNanos();
        long nextNote = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            Thread.sleep(Math.min(1000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
            if (!launcher.alive()) {
                break;
            }
            if (System.nanoTime() > nextNote) {
                nextNote += TimeUnit.MINUTES.toNanos(5);
                say("churning: " + tallies.stream().map(ActivityTally::result).map(r -> r.name() + " " + r.completed())
                        .toList() + ", flows back/sent " + flows.stream().map(SteadyFlow::result)
                        .map(r -> r.client().received() + "/" + r.client().sent()).toList());
            }
        }
        stop.set(true);
        flows.forEach(SteadyFlow::stop);
        control.stop();
        for (SteadyFlow flow : flows) {
            if (!flow.awaitParked(TimeUnit.SECONDS.toMillis(15))) {
                say("a steady flow did not stop within 15 s; its counts may run on");
            }
        }
        // The relay collects the kernel plane's counts every second: wait for two rounds.
        Thread.sleep(2500);
        UdpDrops after = UdpDrops.now();
        MachineUdpCounters machine = MachineUdpCounters.now().since(machineBefore);
        Map<Integer, RelayedBytes> relayed = relayedBytesByPort(launcher);
        long peerReceived = 0;
        for (int i = 0; i < settings.flows(); i++) {
            peerReceived += flowEcho.received(i) - peerBefore[i];
        }
        UdpSocketDrops drops = new UdpSocketDrops(
                after.since(before, Set.of(launcher.turn().getPort())),
                after.since(before, flows.stream().flatMap(f -> f.relayPorts().stream()).collect(Collectors.toSet())),
                after.since(before, flows.stream().flatMap(f -> f.clientPorts().stream()).collect(Collectors.toSet())),
                after.since(before, Set.of(flowEcho.address().getPort())),
                after.since(before, Set.of(echo.address().getPort())), peerReceived);
        List<FlowResult> results = new ArrayList<>();
        for (int i = 0; i < flows.size(); i++) {
            SteadyFlow flow = flows.get(i);
            FlowResult r = flow.result();
            RelayedBytes bytes = flow.relayPorts().stream().map(relayed::get).filter(java.util.Objects::nonNull)
                    .findFirst().orElse(RelayedBytes.UNKNOWN);
            int size = r.plan().size();
            results.add(r.withLegs(new FlowResult.Legs(bytes.packets(bytes.toPeers(), size),
                    flowEcho.received(i) - peerBefore[i], flowEcho.echoed(i) - echoedBefore[i],
                    bytes.packets(bytes.fromPeers(), size)), new FlowResult.SocketDrops(
                    after.since(before, flow.relayPorts()),
                    flow.clientPorts().isEmpty() ? -1 : after.since(before, flow.clientPorts()))));
        }
        flows.forEach(SteadyFlow::release);
        ControlResult controlResult = ControlResult.of(control);
        control.close();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(90));
        }
        for (Thread t : flowThreads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        return new Churned(results, tallies.stream().map(ActivityTally::result).toList(),
                new SoakReport.Drops(drops, machine, controlResult));
    }

    /**
     * What the relay's admin API says one allocation relayed.
     *
     * @param toPeers bytes to peers, or -1 when not known
     * @param fromPeers bytes from peers, or -1 when not known
     */
    private record RelayedBytes(long toPeers, long fromPeers) {

        static final RelayedBytes UNKNOWN = new RelayedBytes(-1, -1);

        /** {@code bytes} in packets of {@code size} bytes, or -1 when not known. */
        long packets(long bytes, int size) {
            return bytes < 0 ? -1 : bytes / size;
        }
    }

    /** Bytes to and from peers of each live allocation, by relayed port, from the admin API ({} if it fails). */
    private Map<Integer, RelayedBytes> relayedBytesByPort(SoakLauncher launcher) {
        try {
            java.net.http.HttpResponse<String> response = HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(launcher.admin().resolve("admin/api/allocations"))
                            .timeout(Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            Map<Integer, RelayedBytes> byPort = new java.util.HashMap<>();
            for (com.fasterxml.jackson.databind.JsonNode a : new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(response.body())) {
                String relayedAddress = a.path("relayed").asText();
                int port = Integer.parseInt(relayedAddress.substring(relayedAddress.lastIndexOf(':') + 1));
                byPort.put(port, new RelayedBytes(a.path("bytes_to_peers").asLong(),
                        a.path("bytes_from_peers").asLong()));
            }
            return byPort;
        } catch (IOException | RuntimeException e) {
            say("could not read the relay's allocations: " + e);
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    private Footprint quiet(FootprintProbe probe, List<Activity> churn) throws IOException, InterruptedException {
        settle(probe);
        probe.read();
        for (Activity activity : churn) {
            if (activity instanceof BadPackets || activity instanceof HttpChurn) {
                try {
                    activity.cycle();
                } catch (Exception e) {
                    say("the round after the GC failed (" + activity.name() + "): " + e);
                }
            }
        }
        settle(probe);
        return probe.read();
    }

    /**
     * Waits until no allocation, token bucket or client connection is left (the soak's config gives HTTP a 5 s
     * idle timeout, so pooled client connections go soon), then a moment more.
     */
    private void settle(FootprintProbe probe) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + settings.settleTimeout().toNanos();
        Map<String, Double> metrics = probe.metrics();
        int connections = probe.openConnections();
        while (metrics.getOrDefault("tern_relay_allocations", 0.0) > 0
                || metrics.getOrDefault("tern_matrix_rate_limit_buckets", 0.0) > 0 || connections > 0) {
            if (System.nanoTime() > deadline) {
                say("still " + metrics.get("tern_relay_allocations") + " allocations, "
                        + metrics.get("tern_matrix_rate_limit_buckets") + " token buckets and " + connections
                        + " TCP connections after " + settings.settleTimeout().toSeconds() + " s");
                break;
            }
            Thread.sleep(1000);
            metrics = probe.metrics();
            connections = probe.openConnections();
        }
        Thread.sleep(2000);
    }

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void say(String line) {
        progress.println("[soak " + java.time.LocalTime.now().withNano(0) + "] " + line);
        progress.flush();
    }
}
