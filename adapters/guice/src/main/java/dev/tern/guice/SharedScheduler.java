package dev.tern.guice;

import com.google.inject.Provider;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the one scheduler every provider shares: two daemon threads named {@code tern-scheduler-N},
 * cancelled tasks removed at once. {@link TernLifecycle#stop()} shuts it down. Thread-safe.
 */
final class SharedScheduler implements Provider<ScheduledExecutorService> {

    private static final int THREADS = 2;

    @Override
    public ScheduledExecutorService get() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = task -> {
            Thread thread = new Thread(task, "tern-scheduler-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(THREADS, threads);
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }
}
