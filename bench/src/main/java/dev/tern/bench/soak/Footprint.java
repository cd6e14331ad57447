package dev.tern.bench.soak;

import java.util.Map;

/**
 * What the launcher's JVM holds at one moment, with no client connected: the measures a soak compares
 * before and after churn. Immutable.
 *
 * @param heapUsedAfterGc bytes of Java heap in use right after a full GC
 * @param fileDescriptors open file descriptors ({@code /proc/PID/fd}), without the JVM's passing reads of its cgroup files
 * @param fileDescriptorsByKind the same by kind ({@code tcp LISTEN}, {@code tcp ESTABLISHED}, {@code udp},
 *     {@code anon_inode:[eventpoll]}, a file's path...), for a readable difference
 * @param threads live threads, without the JDK's common fork-join pool (see {@link FootprintProbe})
 * @param threadsByName live threads counted by name with digits removed, for a readable difference
 * @param allocations live relay allocations ({@code tern_relay_allocations})
 * @param rateLimitBuckets token buckets the Matrix endpoints hold ({@code tern_matrix_rate_limit_buckets})
 * @param leakReports "LEAK:" reports of Netty's leak detector in the launcher's log so far
 * @param quotaDrops packets the relay dropped so far because an allocation went over its bandwidth quota
 *     ({@code tern_relay_rate_limited_packets})
 * @param allocationsCreated allocations created so far ({@code tern_relay_allocations_created})
 */
record Footprint(long heapUsedAfterGc, int fileDescriptors, Map<String, Integer> fileDescriptorsByKind, int threads,
        Map<String, Integer> threadsByName,
        long allocations, long rateLimitBuckets, int leakReports, long quotaDrops, long allocationsCreated) {

    Footprint {
        fileDescriptorsByKind = Map.copyOf(fileDescriptorsByKind);
        threadsByName = Map.copyOf(threadsByName);
    }
}
