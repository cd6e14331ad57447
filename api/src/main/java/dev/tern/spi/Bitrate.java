package dev.tern.spi;

import java.util.Locale;

/**
 * A rate in bits per second, written in config as {@code 512k}, {@code 2M}, {@code 1G} or a plain
 * number (SI multipliers: k = 1000).
 *
 * <p>Immutable and thread-safe.
 *
 * @param bitsPerSecond the rate; never negative
 */
public record Bitrate(long bitsPerSecond) implements Comparable<Bitrate> {

    public Bitrate {
        if (bitsPerSecond < 0) {
            throw new IllegalArgumentException("a bitrate cannot be negative");
        }
    }

    /**
     * Parses {@code 512k}, {@code 2M}, {@code 1.5M}, {@code 1G}, {@code 64000}, optionally followed by
     * {@code bps} or {@code bit/s}.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static Bitrate parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("bit/s")) {
            t = t.substring(0, t.length() - 5);
        } else if (t.endsWith("bps")) {
            t = t.substring(0, t.length() - 3);
        }
        long multiplier = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> multiplier = 1_000L;
                case 'm' -> multiplier = 1_000_000L;
                case 'g' -> multiplier = 1_000_000_000L;
                default -> multiplier = 1;
            }
            if (multiplier != 1) {
                t = t.substring(0, t.length() - 1);
            }
        }
        try {
            double value = Double.parseDouble(t.trim());
            if (value < 0 || Double.isNaN(value) || value * multiplier > Long.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return new Bitrate(Math.round(value * multiplier));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a bitrate (expected a number with an "
                    + "optional k, M or G suffix, like 512k or 2M)");
        }
    }

    @Override
    public int compareTo(Bitrate other) {
        return Long.compare(bitsPerSecond, other.bitsPerSecond);
    }

    /** The rate in bytes per second, rounded down. */
    public long bytesPerSecond() {
        return bitsPerSecond / 8;
    }

    @Override
    public String toString() {
        if (bitsPerSecond != 0 && bitsPerSecond % 1_000_000_000L == 0) {
            return bitsPerSecond / 1_000_000_000L + "G";
        } else if (bitsPerSecond != 0 && bitsPerSecond % 1_000_000L == 0) {
            return bitsPerSecond / 1_000_000L + "M";
        } else if (bitsPerSecond != 0 && bitsPerSecond % 1_000L == 0) {
            return bitsPerSecond / 1_000L + "k";
        }
        return Long.toString(bitsPerSecond);
    }
}
