package dev.tern.spi;

import java.util.Objects;

/**
 * Whether the fleet store answers. A degraded fleet keeps the relay relaying and allocating on local
 * quotas; health checks show it as {@code degraded}, not down.
 *
 * <p>Immutable and thread-safe.
 *
 * @param up whether the store answers
 * @param detail a short, secret-free reason when it does not (like {@code Redis connection refused}):
 *     never a password, a user id or a credential; empty when up
 */
public record FleetHealth(boolean up, String detail) {

    /** A store that answers. */
    public static final FleetHealth UP = new FleetHealth(true, "");

    public FleetHealth {
        Objects.requireNonNull(detail, "detail");
    }

    /** A store that does not answer, for this reason. */
    public static FleetHealth degraded(String detail) {
        return new FleetHealth(false, detail);
    }
}
