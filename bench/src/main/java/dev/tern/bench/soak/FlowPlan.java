package dev.tern.bench.soak;

/**
 * What one steady flow is meant to carry: its number, the listener it reaches the relay through, and its packets.
 * Immutable.
 *
 * @param id the flow's number (its channel is 0x4000 + id)
 * @param transport udp, tcp or tls
 * @param rate packets per second it aims at
 * @param size payload bytes per packet
 */
record FlowPlan(int id, TurnTransport transport, int rate, int size) {

    /** Bits per second of payload it carries each way, for comparing with the quota. */
    long bitsPerSecond() {
        return (long) rate * size * 8;
    }
}
