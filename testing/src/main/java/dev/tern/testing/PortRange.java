package dev.tern.testing;

/**
 * An inclusive range of ports, like a relay's {@code min-port}/{@code max-port}. Immutable. Constructing an
 * empty range, or one outside 1-65535, throws {@link IllegalArgumentException}.
 *
 * @param min the first port
 * @param max the last port, not below {@code min}
 */
public record PortRange(int min, int max) {

    public PortRange {
        if (min < 1 || max > 65_535 || max < min) {
            throw new IllegalArgumentException("not a port range: " + min + "-" + max);
        }
    }

    /** {@code min-max}, as Tern's {@code ports} key and coturn's docs write it. */
    @Override
    public String toString() {
        return min + "-" + max;
    }
}
