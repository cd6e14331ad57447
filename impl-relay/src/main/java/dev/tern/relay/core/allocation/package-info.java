/**
 * An allocation's state without sockets: {@link dev.tern.relay.core.allocation.AllocationState} with its channel
 * bindings, the channels a data plane may forward ({@link dev.tern.relay.core.allocation.LiveChannel}) and its
 * traffic ({@link dev.tern.relay.core.allocation.Traffic}, {@link dev.tern.relay.core.allocation.TrafficReport}).
 * Time is a monotonic {@code now} in nanoseconds given to each call.
 */
package dev.tern.relay.core.allocation;
