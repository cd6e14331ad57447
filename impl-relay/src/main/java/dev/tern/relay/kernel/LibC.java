package dev.tern.relay.kernel;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The libc calls the kernel plane makes, through JNA. */
interface LibC extends Library {

    /** {@code CLOCK_MONOTONIC}: the clock {@code bpf_ktime_get_ns} reads. */
    int CLOCK_MONOTONIC = 1;

    static LibC load() {
        return Native.load("c", LibC.class);
    }

    /** The index of a network interface in this network namespace, 0 when there is none of that name. */
    int if_nametoindex(String name);

    /** Fills {@code struct timespec} (two longs: seconds, nanoseconds). */
    int clock_gettime(int clock, Pointer timespec);

    String strerror(int errnum);
}
