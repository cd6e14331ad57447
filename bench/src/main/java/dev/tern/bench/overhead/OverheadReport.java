package dev.tern.bench.overhead;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.tern.bench.RatioSpread;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The side-by-side summary of an overhead run: for each offered rate and each target, the whole machine's busy CPU,
 * the relay's overhead per relayed packet against the same round's {@code direct} baseline, its ratio to coturn's
 * per round ({@link RatioSpread}) and the loss.
 *
 * <p>Immutable.
 *
 * @param rates one summary per offered rate, in the order first measured
 */
public record OverheadReport(List<RateSummary> rates) {

    /** The relay the ratios are taken against. */
    public static final String REFERENCE = "coturn";

    /**
     * One target at one offered rate; as JSON one flat object.
     *
     * @param target {@code direct} or a relay
     * @param rounds how many rounds measured it
     * @param machine the whole machine's CPU
     * @param overhead the relay's overhead per relayed packet and its ratio to coturn's
     * @param loss the packets lost
     * @param work what was relayed and what the load client and the relay process spent on it
     */
    public record TargetSummary(String target, int rounds, @JsonUnwrapped MachineCores machine,
            @JsonUnwrapped Overhead overhead, @JsonUnwrapped Loss loss, @JsonUnwrapped Work work) {
    }

    /**
     * The whole machine's CPU seconds per second, means over rounds.
     *
     * @param meanBusyCores busy less other processes'
     * @param meanOtherCores other processes' (not the measurement's)
     */
    public record MachineCores(double meanBusyCores, double meanOtherCores) {
    }

    /**
     * A relay's overhead per relayed packet.
     *
     * @param overheadMicrosPerRound the overhead per relayed packet in each round (empty for {@code direct})
     * @param meanOverheadMicros their mean (NaN for {@code direct})
     * @param ratioToCoturn the spread of the per-round overhead ratios to coturn's (null for {@code direct} and
     *     coturn itself; a round whose ratio is not positive, an overhead lost in the noise, is left out of it)
     * @param ratioOfMeans the mean overhead over coturn's (NaN for {@code direct} and coturn itself)
     */
    public record Overhead(List<Double> overheadMicrosPerRound, double meanOverheadMicros, RatioSpread ratioToCoturn,
            double ratioOfMeans) {

        public Overhead {
            overheadMicrosPerRound = List.copyOf(overheadMicrosPerRound);
        }
    }

    /**
     * The packets lost.
     *
     * @param meanLossPercent the mean loss
     * @param maxLossPercent the highest loss of a round
     * @param lossFreeRounds rounds that lost no packet
     */
    public record Loss(double meanLossPercent, double maxLossPercent, long lossFreeRounds) {
    }

    /**
     * What was relayed and what it cost the processes, means over rounds.
     *
     * @param meanRelayedPerSecond packets relayed per second, both directions
     * @param meanClientMicrosPerPacket the load client's own CPU per packet sent
     * @param meanRelayProcessCores the relay process's own CPU seconds per second (NaN for {@code direct})
     */
    public record Work(double meanRelayedPerSecond, double meanClientMicrosPerPacket, double meanRelayProcessCores) {
    }

    /** Every target at one offered rate (packets per second in total). */
    public record RateSummary(int rate, List<TargetSummary> targets) {
    }

    /**
     * Summarises {@code measurements} (each round of each rate must hold a {@code direct} one) for {@code relays}.
     *
     * @throws IllegalArgumentException when a round of a rate has no baseline
     */
    public static OverheadReport of(List<Measurement> measurements, List<String> relays) {
        List<Integer> rates = measurements.stream().map(Measurement::rate).distinct().toList();
        List<RateSummary> summaries = new ArrayList<>();
        for (int rate : rates) {
            List<Measurement> atRate = measurements.stream().filter(m -> m.rate() == rate).toList();
            List<Integer> rounds = atRate.stream().map(Measurement::round).distinct().sorted().toList();
            List<TargetSummary> targets = new ArrayList<>();
            targets.add(summary(Measurement.DIRECT, atRate, List.of(), List.of(), Double.NaN));
            List<Double> reference = overheads(REFERENCE, atRate, rounds);
            for (String relay : relays) {
                List<Double> overheads = overheads(relay, atRate, rounds);
                boolean compared = !relay.equals(REFERENCE) && relays.contains(REFERENCE);
                targets.add(summary(relay, atRate, overheads, compared ? ratios(overheads, reference) : List.of(),
                        compared ? mean(overheads) / mean(reference) : Double.NaN));
            }
            summaries.add(new RateSummary(rate, targets));
        }
        return new OverheadReport(summaries);
    }

    private static List<Double> overheads(String relay, List<Measurement> atRate, List<Integer> rounds) {
        List<Double> overheads = new ArrayList<>();
        for (int round : rounds) {
            Optional<Measurement> m = find(atRate, relay, round);
            if (m.isEmpty()) {
                continue;
            }
            Measurement baseline = find(atRate, Measurement.DIRECT, round).orElseThrow(() ->
                    new IllegalArgumentException("round " + round + " at " + m.get().rate() + "/s has no direct "
                            + "baseline"));
            overheads.add(m.get().overheadMicrosPer(baseline));
        }
        return overheads;
    }

    private static List<Double> ratios(List<Double> overheads, List<Double> reference) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(overheads.size(), reference.size()); i++) {
            ratios.add(reference.get(i) > 0 ? overheads.get(i) / reference.get(i) : Double.NaN);
        }
        return ratios;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static Optional<Measurement> find(List<Measurement> atRate, String target, int round) {
        return atRate.stream().filter(m -> m.target().equals(target) && m.round() == round).findFirst();
    }

    private static TargetSummary summary(String target, List<Measurement> atRate, List<Double> overheads,
            List<Double> ratios, double ratioOfMeans) {
        List<Measurement> runs = atRate.stream().filter(m -> m.target().equals(target)).toList();
        return new TargetSummary(target, runs.size(),
                new MachineCores(runs.stream().mapToDouble(m -> m.client().busyCores()).average().orElse(Double.NaN),
                        runs.stream().mapToDouble(m -> m.client().otherCores()).average().orElse(Double.NaN)),
                new Overhead(overheads, mean(overheads), ratios.isEmpty() ? null : RatioSpread.of(ratios),
                        ratioOfMeans),
                new Loss(runs.stream().mapToDouble(m -> m.client().lossPercent()).average().orElse(Double.NaN),
                        runs.stream().mapToDouble(m -> m.client().lossPercent()).max().orElse(Double.NaN),
                        runs.stream().filter(m -> m.client().packets().received() >= m.client().packets().sent())
                                .count()),
                new Work(runs.stream().mapToDouble(Measurement::relayedPerSecond).average().orElse(Double.NaN),
                        runs.stream().mapToDouble(Measurement::clientMicrosPerSent).average().orElse(Double.NaN),
                        runs.stream().mapToDouble(Measurement::relayProcessCores).average().orElse(Double.NaN)));
    }

    /** The summary as Markdown tables, one per rate, for the README. */
    public String table(int rounds, int allocations, int size) {
        StringBuilder b = new StringBuilder();
        for (RateSummary rate : rates) {
            b.append(String.format(Locale.ROOT, "%n%d packets/s offered (%d allocations, %d-byte payloads, %d "
                    + "rounds):%n%n", rate.rate(), allocations, size, rounds));
            b.append("| Target | Machine busy less other processes (cores) | Other processes (cores) "
                    + "| Relayed packets/s | Relay overhead µs per relayed packet (rounds) "
                    + "| Ratio to coturn: of the means; per round (95 % CI) "
                    + "| Loss % mean (max), loss-free rounds | Relay process CPU (cores) |\n");
            b.append("|---|---|---|---|---|---|---|---|\n");
            for (TargetSummary t : rate.targets()) {
                Overhead o = t.overhead();
                b.append(String.format(Locale.ROOT,
                        "| %s | %.3f | %.3f | %.0f | %s | %s | %.3f (%.3f), %d of %d | %s |%n",
                        t.target(), t.machine().meanBusyCores(), t.machine().meanOtherCores(),
                        t.work().meanRelayedPerSecond(),
                        o.overheadMicrosPerRound().isEmpty() ? "(baseline)" : String.format(Locale.ROOT,
                                "%.2f (%s)", o.meanOverheadMicros(), o.overheadMicrosPerRound().stream()
                                        .map(each -> String.format(Locale.ROOT, "%.2f", each))
                                        .collect(Collectors.joining(" / "))),
                        o.ratioToCoturn() == null ? "-" : String.format(Locale.ROOT, "%.2f; %s", o.ratioOfMeans(),
                                ratio(o.ratioToCoturn())), t.loss().meanLossPercent(),
                        t.loss().maxLossPercent(), t.loss().lossFreeRounds(), t.rounds(),
                        Double.isNaN(t.work().meanRelayProcessCores())
                                ? "-" : String.format(Locale.ROOT, "%.3f", t.work().meanRelayProcessCores())));
            }
        }
        return b.toString();
    }

    private static String ratio(RatioSpread s) {
        return s.n() < 2 ? String.format(Locale.ROOT, "%.2f (n %d)", s.geometricMean(), s.n())
                : String.format(Locale.ROOT, "%.2f (%.2f – %.2f, n %d)", s.geometricMean(), s.interval().low(),
                        s.interval().high(), s.n());
    }
}
