package dev.tern.bench.load;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How many allocations a load run made, how many failed, and the wall time it took to make them all. Immutable.
 *
 * @param ok allocations made (and channel-bound or permitted)
 * @param failed allocations that failed
 * @param seconds wall time to make all allocations
 */
public record AllocationCount(@JsonProperty("allocationsOk") int ok, @JsonProperty("allocationsFailed") int failed,
        @JsonProperty("allocateSeconds") double seconds) {

    /** Allocations made per second of the time to make them all. */
    public double perSecond() {
        return ok / seconds;
    }
}
