package dev.tern.bench;

import dev.tern.bench.load.Coturn;
import dev.tern.bench.load.LoadSettings;
import dev.tern.bench.load.RelayLoad;
import dev.tern.bench.load.RelayUnderTest;
import dev.tern.bench.load.TernRelayProcess;
import dev.tern.testing.PortRange;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * What {@code compare} and {@code capacity} share: coturn and Tern's relay started in turn (A B A B)
 * with one random TURN REST secret, and the Tern/coturn ratio of the means over rounds.
 */
final class SideBySide {

    /** The servers of a round, in the order they run. */
    static final List<String> SERVERS = List.of("coturn", "tern");

    private SideBySide() {
    }

    /** A fresh TURN REST secret for one comparison. */
    static String newSecret() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }

    /**
     * Starts one of {@link #SERVERS} with {@code threads} threads (coturn's relay threads, Tern's event
     * loops), optionally under {@code taskset -c serverCpus}, relaying on {@code relayPorts}.
     */
    static RelayUnderTest start(String server, String secret, int threads, List<String> ternJvmOptions,
            String serverCpus, PortRange relayPorts) throws IOException, InterruptedException {
        List<String> launcher = serverCpus == null ? List.of() : List.of("taskset", "-c", serverCpus);
        return server.equals("coturn") ? Coturn.start(secret, threads, launcher, relayPorts)
                : TernRelayProcess.start(secret, threads, ternJvmOptions, launcher, relayPorts);
    }

    /** What one server's turn in one round measures. */
    @FunctionalInterface
    interface Turn<R> {
        R measure(RelayUnderTest server, String name, int round) throws Exception;
    }

    /**
     * Runs {@code rounds} rounds of {@link #SERVERS} in turn (A B A B), each started afresh with
     * {@link #start} and stopped after its {@code turn}; returns the turns' results in order.
     */
    static <R> List<R> alternate(int rounds, String secret, int threads, List<String> ternJvmOptions,
            String serverCpus, Turn<R> turn) throws Exception {
        List<R> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (String name : SERVERS) {
                try (RelayUnderTest server = start(name, secret, threads, ternJvmOptions, serverCpus,
                        RelayUnderTest.RELAY_PORTS)) {
                    results.add(turn.measure(server, name, round));
                }
            }
        }
        return results;
    }

    /** What is done once to each server after it starts, before its first measured turn. */
    @FunctionalInterface
    interface Preparation {
        void prepare(RelayUnderTest server) throws Exception;
    }

    /**
     * Starts both {@link #SERVERS} at once (coturn relaying on {@link RelayUnderTest#LOWER_RELAY_PORTS}, Tern on
     * {@link RelayUnderTest#UPPER_RELAY_PORTS}), prepares each, then runs {@code pairs} pairs of turns, each pair
     * back to back and the first of a pair alternating (coturn, Tern, Tern, coturn, ...), so that what drifts on
     * a shared machine falls on both members of a pair alike. The server not being measured stays up, idle.
     * Returns the turns' results in order; the n-th result of each server makes pair n.
     */
    static <R> List<R> paired(int pairs, String secret, int threads, List<String> ternJvmOptions, String serverCpus,
            Preparation preparation, Turn<R> turn) throws Exception {
        try (RelayUnderTest coturn = start("coturn", secret, threads, ternJvmOptions, serverCpus,
                RelayUnderTest.LOWER_RELAY_PORTS);
                RelayUnderTest tern = start("tern", secret, threads, ternJvmOptions, serverCpus,
                        RelayUnderTest.UPPER_RELAY_PORTS)) {
            preparation.prepare(coturn);
            preparation.prepare(tern);
            List<R> results = new ArrayList<>();
            for (int pair = 1; pair <= pairs; pair++) {
                for (RelayUnderTest server : pair % 2 == 1 ? List.of(coturn, tern) : List.of(tern, coturn)) {
                    results.add(turn.measure(server, server.name(), pair));
                }
            }
            return results;
        }
    }

    /**
     * Makes and deletes {@code count} allocations on {@code server} (in batches of at most 3 000, so the
     * client's sockets stay few), as a server in service has done before the measured run starts.
     */
    static void churnAllocations(RelayUnderTest server, String secret, int count)
            throws IOException, InterruptedException {
        for (int left = count; left > 0; left -= 3000) {
            new RelayLoad(LoadSettings.builder()
                    .server(server.address())
                    .secret(secret)
                    .user("churn")
                    .allocations(Math.min(left, 3000))
                    .rate(1)
                    .size(160)
                    .duration(Duration.ofSeconds(1))
                    .peerHost("127.0.0.1")
                    .build()).hold(() -> null);
        }
    }

    /** Tern's mean over coturn's, or NaN when coturn's is zero (no ratio to a zero). */
    static <R> double ratio(List<R> results, Function<R, String> server, ToDoubleFunction<R> metric) {
        double coturn = mean(results, server, "coturn", metric);
        return coturn > 0 ? mean(results, server, "tern", metric) / coturn : Double.NaN;
    }

    /**
     * Tern's value over coturn's in each round, in round order (the n-th result of each server makes round n);
     * NaN for a round where coturn's is zero. Rounds differ far more on a shared machine than a mean shows.
     */
    static <R> List<Double> roundRatios(List<R> results, Function<R, String> server, ToDoubleFunction<R> metric) {
        List<Double> coturn = new ArrayList<>();
        List<Double> tern = new ArrayList<>();
        for (R r : results) {
            (server.apply(r).equals("coturn") ? coturn : tern).add(metric.applyAsDouble(r));
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(coturn.size(), tern.size()); i++) {
            ratios.add(coturn.get(i) > 0 ? tern.get(i) / coturn.get(i) : Double.NaN);
        }
        return ratios;
    }

    /** The mean of {@code metric} over the results of one server. */
    static <R> double mean(List<R> results, Function<R, String> server, String name, ToDoubleFunction<R> metric) {
        return results.stream().filter(r -> server.apply(r).equals(name)).mapToDouble(metric).average()
                .orElse(Double.NaN);
    }

    /** Prints {@code summary} as indented JSON. */
    static void printJson(PrintStream out, Object summary) throws IOException {
        out.println(new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(summary));
    }
}
