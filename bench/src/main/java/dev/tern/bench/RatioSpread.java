package dev.tern.bench;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a set of per-round (or per-pair) ratios Tern/coturn says: their geometric mean with a 95 %
 * confidence interval (Student's t on the logarithms, the usual interval for a ratio of paired
 * measurements), their median and their range. On a shared machine single rounds differ widely; the
 * interval says whether a difference is more than that noise. Immutable.
 *
 * <p>As JSON one flat object: {@code n, geometricMean, low, high, median, min, max}.
 *
 * @param n how many ratios were finite and positive (the others are left out: a round with a zero)
 * @param geometricMean the geometric mean of those ratios, NaN when there are none
 * @param interval the 95 % confidence interval of the geometric mean
 * @param median the median, NaN when there are none
 * @param range the lowest and the highest ratio
 */
public record RatioSpread(int n, double geometricMean, @JsonUnwrapped Interval interval, double median,
        @JsonUnwrapped Range range) {

    /**
     * A confidence interval.
     *
     * @param low the lower end, NaN with fewer than two ratios
     * @param high the upper end, NaN with fewer than two ratios
     */
    public record Interval(double low, double high) {
    }

    /**
     * The lowest and the highest of the ratios.
     *
     * @param min the lowest ratio, NaN when there are none
     * @param max the highest ratio, NaN when there are none
     */
    public record Range(double min, double max) {
    }

    /** Two-sided 97.5 % quantiles of Student's t for 1 to 30 degrees of freedom. */
    private static final double[] T_975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
        2.056, 2.052, 2.048, 2.045, 2.042};

    /** The spread of {@code ratios}; NaN, zero and negative ratios are left out. */
    public static RatioSpread of(List<Double> ratios) {
        double[] r = ratios.stream().filter(d -> d != null && d > 0 && Double.isFinite(d))
                .mapToDouble(Double::doubleValue).sorted().toArray();
        int n = r.length;
        if (n == 0) {
            return new RatioSpread(0, Double.NaN, new Interval(Double.NaN, Double.NaN), Double.NaN,
                    new Range(Double.NaN, Double.NaN));
        }
        double[] logs = Arrays.stream(r).map(Math::log).toArray();
        double mean = Arrays.stream(logs).average().orElseThrow();
        double median = n % 2 == 1 ? r[n / 2] : Math.sqrt(r[n / 2 - 1] * r[n / 2]);
        if (n == 1) {
            return new RatioSpread(1, r[0], new Interval(Double.NaN, Double.NaN), median, new Range(r[0], r[0]));
        }
        double squares = Arrays.stream(logs).map(l -> (l - mean) * (l - mean)).sum();
        double halfWidth = t975(n - 1) * Math.sqrt(squares / (n - 1)) / Math.sqrt(n);
        return new RatioSpread(n, Math.exp(mean), new Interval(Math.exp(mean - halfWidth), Math.exp(mean + halfWidth)),
                median, new Range(r[0], r[n - 1]));
    }

    /**
     * The 97.5 % quantile of Student's t with {@code df} degrees of freedom: from the table up to 30,
     * beyond it the normal quantile with the first Cornish-Fisher correction (within 0.003 of the true value).
     */
    static double t975(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be at least 1, was " + df);
        }
        if (df <= T_975.length) {
            return T_975[df - 1];
        }
        double z = 1.959964;
        return z + (z * z * z + z) / (4.0 * df);
    }

    /** Whether the whole interval lies at or below {@code bound} (false without an interval). */
    public boolean atMost(double bound) {
        return n >= 2 && interval.high() <= bound;
    }

    /** For reports: {@code 0.84 (95 % CI 0.80 - 0.88, median 0.83, range 0.74 - 0.95, n 20)}. */
    public String describe() {
        if (n == 0) {
            return "- (no ratios)";
        }
        if (n == 1) {
            return String.format(Locale.ROOT, "%.2f (one ratio)", geometricMean);
        }
        return String.format(Locale.ROOT, "%.2f (95 %% CI %.2f - %.2f, median %.2f, range %.2f - %.2f, n %d)",
                geometricMean, interval.low(), interval.high(), median, range.min(), range.max(), n);
    }
}
