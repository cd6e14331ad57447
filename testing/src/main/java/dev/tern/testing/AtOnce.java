package dev.tern.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent test steps at the same time and hands back their results in the order given: for steps that
 * spend their time waiting (coturn's {@code turnutils_uclient} starts each client 1 to 6 s late), so that two of
 * them take the time of one. Only for steps that share nothing a result depends on. Stateless and thread-safe.
 */
public final class AtOnce {

    private AtOnce() {
    }

    /**
     * Runs every step on a thread of its own and waits for all of them.
     *
     * @return the steps' results, in the order of {@code steps}
     * @throws Exception the first step's failure (in the order given; an {@link Error} such as a failed assertion
     *         too), once every step has ended
     */
    @SafeVarargs
    public static <T> List<T> run(Callable<T>... steps) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(steps.length);
        try {
            List<Future<T>> running = new ArrayList<>();
            for (Callable<T> step : steps) {
                running.add(threads.submit(step));
            }
            List<T> results = new ArrayList<>();
            Throwable failure = null;
            for (Future<T> step : running) {
                try {
                    results.add(step.get());
                } catch (ExecutionException e) {
                    failure = failure != null ? failure : e.getCause();
                }
            }
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure != null) {
                throw (Exception) failure;
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }
}
