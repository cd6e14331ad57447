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
        Map<String, Integer> fds = fileDescriptorsByKind();
        // The JVM opens its cgroup's files (memory.stat and the like) for a moment when something asks for the
        // container's memory, e.g. the metrics scrape just above: listed by kind, not counted as the relay's own.
        int ownFds = fds.entrySet().stream().filter(e -> !e.getKey().startsWith("/sys/fs/cgroup/"))
                .mapToInt(Map.Entry::getValue).sum();
        return new Footprint(new Footprint.Resources(heap, ownFds, fds, count, threads),
                new Footprint.Live(Math.round(metrics.getOrDefault("tern_relay_allocations", -1.0)),
                        Math.round(metrics.getOrDefault("tern_matrix_rate_limit_buckets", -1.0))),
                leakReports(),
                new Footprint.Totals(Math.round(metrics.getOrDefault("tern_relay_rate_limited_packets_total", -1.0)),
                        Math.round(metrics.getOrDefault("tern_relay_allocations_created_total", -1.0))));
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

    /**
     * Every metric, summed over its labels. Read over a connection of its own that the server closes after the
     * answer ({@code Connection: close}), so that reading leaves no pooled connection behind to count.
     */
    Map<String, Double> metrics() throws IOException, InterruptedException {
        String body = getAndClose("/metrics");
        Map<String, Double> values = new TreeMap<>();
        Matcher m = METRIC.matcher(body);
        while (m.find()) {
            values.merge(m.group(1), Double.parseDouble(m.group(3)), Double::sum);
        }
        return values;
    }

    private String getAndClose(String path) throws IOException {
        URI admin = launcher.admin();
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(admin.getHost(), admin.getPort()), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + admin.getHost()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!answer.startsWith("HTTP/1.1 200")) {
                throw new IOException("GET " + path + " answered " + answer.lines().findFirst().orElse("nothing"));
            }
            int body = answer.indexOf("\r\n\r\n");
            return body < 0 ? "" : answer.substring(body + 4);
        }
    }

    /**
     * TCP connections the launcher holds open that are not listening sockets: in a quiet moment, with no client
     * connected, none should be left once the servers' idle timeouts have passed.
     */
    int openConnections() throws IOException {
        return fileDescriptorsByKind().entrySet().stream()
                .filter(e -> e.getKey().startsWith("tcp ") && !e.getKey().equals("tcp LISTEN"))
                .mapToInt(Map.Entry::getValue).sum();
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

    private static final String[] TCP_STATES = {"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"};

    /** Open descriptors by kind: sockets by protocol (TCP by state), anonymous inodes, pipes, files by path. */
    Map<String, Integer> fileDescriptorsByKind() throws IOException {
        Path proc = Path.of("/proc", Long.toString(launcher.pid()));
        Map<String, String> sockets = new java.util.HashMap<>();
        for (String table : List.of("tcp", "tcp6", "udp", "udp6", "unix")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(proc.resolve("net").resolve(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (table.equals("unix")) {
                    if (f.length >= 7) {
                        sockets.put(f[6], "unix");
                    }
                } else if (f.length >= 10) {
                    String kind = table.startsWith("udp") ? "udp" : "tcp " + state(f[3]);
                    sockets.put(f[9], kind);
                }
            }
        }
        Map<String, Integer> kinds = new TreeMap<>();
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            for (Path fd : fds.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed while listing
                }
                String kind;
                if (target.startsWith("socket:[")) {
                    kind = sockets.getOrDefault(target.substring(8, target.length() - 1), "socket (other)");
                } else if (target.startsWith("pipe:")) {
                    kind = "pipe";
                } else {
                    kind = target;
                }
                kinds.merge(kind, 1, Integer::sum);
            }
        }
        return kinds;
    }

    private static String state(String hex) {
        try {
            int s = Integer.parseInt(hex, 16);
            return s > 0 && s < TCP_STATES.length ? TCP_STATES[s] : hex;
        } catch (NumberFormatException e) {
            return hex;
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
