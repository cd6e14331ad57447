package dev.tern.admin;

import java.time.Instant;

/**
 * What {@code POST /admin/api/drain} asks of the host: start draining for a rolling restart (new Allocates get
 * 300 Try Alternate or 508, {@code /health/ready} answers 503, live allocations go on until they end or the
 * deadline), then deregister from the fleet and stop. The launcher's {@code tern serve} exits 0 when done.
 *
 * <p>Implementations are thread-safe and idempotent: a second call returns the first call's deadline.
 */
@FunctionalInterface
public interface RelayDrain {

    /** Starts draining unless already started, without waiting; returns when live allocations will be closed. */
    Instant start();
}
