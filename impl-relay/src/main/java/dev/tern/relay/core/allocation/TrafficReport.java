package dev.tern.relay.core.allocation;

/**
 * An allocation's traffic since its previous report ({@link AllocationState#drainCounters()}).
 *
 * @param relayed packets and payload bytes relayed each way, by either plane
 * @param kernel the part of {@code relayed} that the kernel plane carried
 * @param droppedPackets packets dropped for being over the rate limit (either way)
 * @param droppedBytes their payload bytes
 * @param oversizedPackets datagrams from peers dropped for being longer than the relay relays
 */
public record TrafficReport(Traffic relayed, Traffic kernel, long droppedPackets, long droppedBytes,
        long oversizedPackets) {

    /** The part of {@code relayed} that user space carried. */
    public Traffic user() {
        return relayed.minus(kernel);
    }
}
