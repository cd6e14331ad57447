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

    /** Percentiles (0 to 100) in microseconds of everything recorded; NaN when nothing was. */
    double[] percentilesMicros(double... percentiles) {
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        double[] out = new double[percentiles.length];
        for (int i = 0; i < percentiles.length; i++) {
            if (count == 0) {
                out[i] = Double.NaN;
                continue;
            }
            int rank = (int) Math.ceil(percentiles[i] / 100.0 * count) - 1;
            out[i] = sorted[Math.max(0, Math.min(count - 1, rank))] / 1000.0;
        }
        return out;
    }
}
