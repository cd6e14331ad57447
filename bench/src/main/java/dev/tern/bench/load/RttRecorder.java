package dev.tern.bench.load;

import java.util.Arrays;

/**
 * Round-trip times in nanoseconds, kept exactly (a run of 10 s at 50 000 packets/s is 4 MB), and
 * their percentiles.
 *
 * <p>Not thread-safe: written by the receiving thread, read after it stopped.
 */
final class RttRecorder {

    private long[] samples;
    private int count;

    /**
     * @param expected how many samples the run should record: room for them is taken up front, so the
     *     receiving thread copies no array (and makes no garbage) while it measures
     */
    RttRecorder(long expected) {
        samples = new long[(int) Math.min(Math.max(expected, 1 << 16), 1 << 24)];
    }

    void record(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
    }

    int count() {
        return count;
    }

    /** The median, the 99th and 99.9th percentiles and the maximum of everything recorded; NaN when nothing was. */
    LoadResult.Rtt summary() {
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return new LoadResult.Rtt(percentileMicros(sorted, 50), percentileMicros(sorted, 99),
                percentileMicros(sorted, 99.9), percentileMicros(sorted, 100));
    }

    /** The percentile (0 to 100) of {@code sorted} nanoseconds, in microseconds; NaN for none. */
    private static double percentileMicros(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1000.0;
    }
}
