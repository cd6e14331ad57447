package dev.tern.bench.soak;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.Map;

/**
 * What the launcher's JVM holds at one moment, with no client connected: the measures a soak compares
 * before and after churn. As JSON one flat object with the fields of the records it is made of. Immutable.
 *
 * @param process what the process holds: heap, file descriptors, threads
 * @param live the relay's tables keyed by client input, by their metrics
 * @param leakReports "LEAK:" reports of Netty's leak detector in the launcher's log so far
 * @param totals the relay's counters so far, by their metrics
 */
record Footprint(@JsonUnwrapped Resources process, @JsonUnwrapped Live live, int leakReports,
        @JsonUnwrapped Totals totals) {

    /**
     * What the process holds.
     *
     * @param heapUsedAfterGc bytes of Java heap in use right after a full GC
     * @param fileDescriptors open file descriptors ({@code /proc/PID/fd}), without the JVM's passing reads of its
     *     cgroup files
     * @param fileDescriptorsByKind the same by kind ({@code tcp LISTEN}, {@code tcp ESTABLISHED}, {@code udp},
     *     {@code anon_inode:[eventpoll]}, a file's path...), for a readable difference
     * @param threads live threads, without the JDK's common fork-join pool (see {@link FootprintProbe})
     * @param threadsByName live threads counted by name with digits removed, for a readable difference
     */
    record Resources(long heapUsedAfterGc, int fileDescriptors, Map<String, Integer> fileDescriptorsByKind,
            int threads, Map<String, Integer> threadsByName) {

        Resources {
            fileDescriptorsByKind = Map.copyOf(fileDescriptorsByKind);
            threadsByName = Map.copyOf(threadsByName);
        }
    }

    /**
     * Entries of the relay's tables that must empty when the clients are gone; -1 when the metric is missing.
     *
     * @param allocations live relay allocations ({@code tern_relay_allocations})
     * @param rateLimitBuckets token buckets the Matrix endpoints hold ({@code tern_matrix_rate_limit_buckets})
     */
    record Live(long allocations, long rateLimitBuckets) {
    }

    /**
     * The relay's counters so far; -1 when the metric is missing.
     *
     * @param quotaDrops packets the relay dropped because an allocation went over its bandwidth quota
     *     ({@code tern_relay_rate_limited_packets})
     * @param allocationsCreated allocations created ({@code tern_relay_allocations_created})
     */
    record Totals(long quotaDrops, long allocationsCreated) {
    }
}
