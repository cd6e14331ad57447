package dev.tern.bench.overhead;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the overhead command's ramp found: for each target, the highest offered rate whose loss stayed under the limit
 * and what ended its ramp. Immutable.
 *
 * @param lossLimitPercent the loss a rate had to stay under
 * @param best the highest such rate per target (packets per second offered, 0 when the first step lost too much)
 * @param end what ended each target's ramp
 * @param ratioToCoturn each target's best over coturn's (empty when coturn was not ramped or held no step)
 * @param steps every step measured, in order
 */
public record RampSummary(double lossLimitPercent, Map<String, Integer> best, Map<String, String> end,
        Map<String, Double> ratioToCoturn, List<Measurement> steps) {

    public RampSummary {
        best = Map.copyOf(best);
        end = Map.copyOf(end);
        ratioToCoturn = Map.copyOf(ratioToCoturn);
        steps = List.copyOf(steps);
    }

    /** A Markdown table, one row per target in {@code order}, for the README. */
    public String table(List<String> order) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "%nHighest offered rate with loss under %.1f %% (ramp):%n%n| Target | Packets/s offered "
                + "| Ratio to coturn | Ended by |%n|---|---|---|---|%n", lossLimitPercent));
        for (String t : order) {
            if (best.containsKey(t)) {
                b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s |%n", t, best.get(t),
                        ratioToCoturn.containsKey(t) ? String.format(Locale.ROOT, "%.2f", ratioToCoturn.get(t)) : "-",
                        end.get(t)));
            }
        }
        return b.toString();
    }
}
