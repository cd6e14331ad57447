package dev.tern.bench.soak;

import dev.tern.bench.Args;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * {@code soak --launcher JAR [--duration 10m] ...}: runs the launcher under churn and says whether its heap,
 * file descriptors, threads, allocation table, token buckets and leak detector came back to where they
 * started, and whether steady flows under the quota lost anything. Exit 0 when all did, 1 otherwise.
 */
public final class SoakCommand {

    private SoakCommand() {
    }

    private static Set<String> skipped(String list) {
        return list.isBlank() ? Set.of() : Set.copyOf(java.util.Arrays.asList(list.split(",")));
    }

    /** Parses the options, runs the soak and prints the report (JSON with {@code --json}); returns the exit code. */
    public static int run(String[] argv, PrintStream out) throws Exception {
        Args args = new Args(argv, Set.of("json"));
        Path jar = Path.of(args.string("launcher", "examples/launcher/target/tern-launcher.jar"));
        String dir = args.string("dir", null);
        SoakSettings settings = SoakSettings.builder()
                .duration(args.duration("duration", Duration.ofMinutes(10)))
                .launcherJar(jar)
                .workDir(dir == null ? Files.createTempDirectory("tern-soak-") : Path.of(dir))
                .warmUp(args.duration("warm-up", Duration.ofSeconds(30)))
                .settleTimeout(args.duration("settle", Duration.ofSeconds(120)))
                .flows(args.integer("flows", 6))
                .flowRate(args.integer("flow-rate", 50))
                .flowSize(args.integer("flow-size", 160))
                .pause(args.duration("pause", Duration.ofMillis(200)))
                .users(args.integer("users", 8))
                .skipped(skipped(args.string("skip", "")))
                .allocationLifetime(args.duration("allocation-lifetime", Duration.ofSeconds(30)))
                .dataPlane(args.string("plane", "auto"))
                .build();
        boolean json = args.flag("json");
        args.rejectUnknown();
        SoakReport report = new SoakRun(settings, System.err).run();
        out.print(json ? report.json() + "\n" : report.text());
        out.flush();
        return report.passed() ? 0 : 1;
    }
}
