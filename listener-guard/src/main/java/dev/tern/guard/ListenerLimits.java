package dev.tern.guard;

import static dev.tern.spi.SettingChecks.within;

import dev.tern.spi.InvalidSettingException;
import java.time.Duration;

/**
 * The {@code connections} settings of an HTTP listener (the Matrix endpoints' {@code matrix.connections},
 * the admin server's {@code metrics.connections}); the relay's {@code relay.tcp} keys give the same four for
 * TURN over TCP and TLS.
 *
 * <pre>
 * connections:
 *   max: 512                # open connections at once (default 512)
 *   max_per_address: 128    # from one client IP (default 128; behind a reverse proxy, raise it to max)
 *   header_timeout: 10s     # each request's headers must be complete this soon (default 10s, 1s to 5m)
 *   idle_timeout: 60s       # a connection with no traffic either way is closed (default 60s, 1s to 1h)
 * </pre>
 *
 * <p>Immutable and thread-safe. Absent keys get the defaults above; a bad value throws
 * {@link InvalidSettingException} naming the key.
 *
 * @param max the most open connections at once
 * @param maxPerAddress the most open connections from one client IP address at once
 * @param headerTimeout how soon after accepting a connection its first message must be complete (HTTP: and each
 *     later request's headers after the request's first byte, {@link RequestHeadDeadline})
 * @param idleTimeout how long a connection may carry no traffic before it is closed
 */
public record ListenerLimits(Integer max, Integer maxPerAddress, Duration headerTimeout, Duration idleTimeout) {

    /** Every key at its default. */
    public static final ListenerLimits DEFAULT = new ListenerLimits(null, null, null, null);

    public ListenerLimits {
        max = within("max", max, 512, 1, 1_000_000);
        maxPerAddress = within("max_per_address", maxPerAddress, 128, 1, 1_000_000);
        headerTimeout = within("header_timeout", headerTimeout, Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofMinutes(5));
        idleTimeout = within("idle_timeout", idleTimeout, Duration.ofSeconds(60), Duration.ofSeconds(1),
                Duration.ofHours(1));
    }
}
