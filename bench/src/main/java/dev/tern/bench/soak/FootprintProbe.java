package dev.tern.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a {@link Footprint} of the launcher's JVM from outside, the way an operator could: {@code jcmd} for a
 * full GC and the heap in use after it, {@code /proc/PID/fd} and {@code /proc/PID/task} for descriptors and
 * threads, the admin server's {@code /metrics} for the allocation table and the token buckets, and the
 * launcher's log for leak reports.
 *
 * <p>Threads of {@code ForkJoinPool.commonPool} are left out of the count: the JDK starts them on demand
 * (Caffeine runs its maintenance there) and retires them after 60 s idle, so their number says when the
 * pool was last busy, not whether something leaked. Linux only. Thread-safe.
 */
final class FootprintProbe {

    private static final Pattern HEAP_USED = Pattern.compile("garbage-first heap\\s+total \\d+K, used (\\d+)K");
    private static final Pattern METRIC = Pattern.compile("(?m)^([a-z_]+)(\\{[^}]*\\})? ([0-9.eE+-]+)$");

    private final SoakLauncher launcher;
    private final HttpClient http;
    private final Path jcmd;

    FootprintProbe(SoakLauncher launcher, HttpClient http) {
        this.launcher = launcher;
        this.http = http;
        this.jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    }

    /** Takes a full GC, then reads every measure. */
    Footprint read() throws IOException, InterruptedException {
        long heap = heapAfterFullGc();
        Map<String, Double> metrics = metrics();
        Map<String, Integer> threads = threadsByName();
        int count = threads.entrySet().stream().filter(e -> !e.getKey().startsWith("ForkJoinPool.co"))
                .mapToInt(Map.Entry::getValue).sum();
        return new Footprint(heap, fileDescriptors(), count, threads,
                Math.round(metrics.getOrDefault("tern_relay_allocations", -1.0)),
                Math.round(metrics.getOrDefault("tern_matrix_rate_limit_buckets", -1.0)), leakReports(),
                Math.round(metrics.getOrDefault("tern_relay_rate_limited_packets_total", -1.0)),
                Math.round(metrics.getOrDefault("tern_relay_allocations_created_total", -1.0)));
    }

    /** Live allocations, from the metrics. */
    long allocations() throws IOException, InterruptedException {
        return Math.round(metrics().getOrDefault("tern_relay_allocations", -1.0));
    }

    /** Token buckets held by the Matrix endpoints, from the metrics. */
    long rateLimitBuckets() throws IOException, InterruptedException {
        return Math.round(metrics().getOrDefault("tern_matrix_rate_limit_buckets", -1.0));
    }

    /** Leak reports in the launcher's log. */
    int leakReports() {
        String log = launcher.output();
        int n = 0;
        for (int i = log.indexOf("LEAK:"); i >= 0; i = log.indexOf("LEAK:", i + 1)) {
            n++;
        }
        return n;
    }

    /** Every metric, summed over its labels. */
    Map<String, Double> metrics() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(launcher.admin().resolve("metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET /metrics answered " + response.statusCode());
        }
        Map<String, Double> values = new TreeMap<>();
        Matcher m = METRIC.matcher(response.body());
        while (m.find()) {
            values.merge(m.group(1), Double.parseDouble(m.group(3)), Double::sum);
        }
        return values;
    }

    private long heapAfterFullGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        if (!m.find()) {
            throw new IOException("jcmd GC.heap_info did not show a G1 heap:\n" + info);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(launcher.pid()), command))
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("jcmd " + command + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private int fileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(launcher.pid()), "fd"))) {
            return (int) fds.count();
        }
    }

    private Map<String, Integer> threadsByName() throws IOException {
        Map<String, Integer> names = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(launcher.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
                    names.merge(name.replaceAll("[0-9]+", "#"), 1, Integer::sum);
                } catch (IOException e) {
                    // the thread ended while listing
                }
            }
        }
        return names;
    }
}
