package dev.tern.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A UTC clock tests move by hand: it stands still until {@link #advance} or {@link #set} moves it.
 *
 * <p>Thread-safe: the code under test may read it from other threads while the test advances it.
 * {@link #withZone} returns this clock (it is always UTC). Nulls are refused with a {@link NullPointerException}.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;

    /** A clock that reads {@code start} until advanced. */
    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(java.util.Objects.requireNonNull(start, "start"));
    }

    /** Moves the clock forward (or back, for a negative duration) by {@code by}. */
    public void advance(Duration by) {
        java.util.Objects.requireNonNull(by, "by");
        now.updateAndGet(t -> t.plus(by));
    }

    /** Puts the clock at {@code to}, forward or back. */
    public void set(Instant to) {
        now.set(java.util.Objects.requireNonNull(to, "to"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
