package dev.tern.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How often one {@link Activity} completed and failed, with the first few failures for the report.
 * Thread-safe.
 */
final class ActivityTally {

    private static final int KEPT_ERRORS = 5;

    private final String name;
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final List<String> errors = new ArrayList<>();

    ActivityTally(String name) {
        this.name = name;
    }

    void completed() {
        completed.incrementAndGet();
    }

    void failed(Throwable e) {
        failed.incrementAndGet();
        synchronized (errors) {
            if (errors.size() < KEPT_ERRORS) {
                String message = String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", " | ");
                errors.add(e.getClass().getSimpleName() + ": " + message);
            }
        }
    }

    /** A snapshot. */
    ActivityResult result() {
        synchronized (errors) {
            return new ActivityResult(name, completed.get(), failed.get(), List.copyOf(errors));
        }
    }
}
