package dev.tern.policy.wellknown;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Remembers the last failed fetch of a document and for how long it stands in for new fetches: the first
 * failure for {@code first}, each further one in a row for twice as long as the one before, never longer
 * than {@code max}; a success forgets it all. So a failing upstream sees at most one fetch per back-off
 * period however many clients ask meanwhile.
 *
 * <p>Thread-safe. Time comes from the given clock.
 */
final class FailureBackoff {

    private final Duration first;
    private final Duration max;
    private final Clock clock;
    private int failuresInARow;
    private Instant retryAt = Instant.MIN;
    private Throwable lastFailure;

    FailureBackoff(Duration first, Duration max, Clock clock) {
        this.first = first;
        this.max = max;
        this.clock = clock;
    }

    /** The last failure, while its back-off lasts: callers fail with it instead of fetching. */
    synchronized Optional<Throwable> standingFailure() {
        return lastFailure != null && clock.instant().isBefore(retryAt) ? Optional.of(lastFailure) : Optional.empty();
    }

    /** Records a failed fetch and starts (or lengthens) the back-off. */
    synchronized void failed(Throwable failure) {
        failuresInARow = Math.min(failuresInARow + 1, 62);
        Duration wait = first.multipliedBy(1L << Math.min(failuresInARow - 1, 30));
        if (wait.compareTo(max) > 0 || wait.isNegative()) {
            wait = max;
        }
        retryAt = clock.instant().plus(wait);
        lastFailure = failure;
    }

    /** Records a successful fetch: the next failure starts over at {@code first}. */
    synchronized void succeeded() {
        failuresInARow = 0;
        retryAt = Instant.MIN;
        lastFailure = null;
    }

    /** How long the current back-off lasts from now (zero when none), for logs and tests. */
    synchronized Duration remaining() {
        Duration left = lastFailure == null ? Duration.ZERO : Duration.between(clock.instant(), retryAt);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
