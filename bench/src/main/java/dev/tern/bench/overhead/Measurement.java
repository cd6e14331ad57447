package dev.tern.bench.overhead;

/**
 * One measured run of the load client against one target at one offered rate.
 *
 * @param target {@code direct} (straight to the echo peer: the baseline) or the relay's name
 * @param rate the offered rate, packets per second in total
 * @param round which round (or ramp step) it belongs to, from 1
 * @param client what the load client reported
 * @param atPeer window packets the echo peer received (client to peer through the relay)
 * @param relayProcessCores the relay process's own CPU seconds per second over the whole client run (lead-in, window
 *     and drain; NaN for {@code direct}): what per-process accounting sees, which misses kernel forwarding
 */
public record Measurement(String target, int rate, int round, ClientRun client, long atPeer,
        double relayProcessCores) {

    /** The baseline's name. */
    public static final String DIRECT = "direct";

    /** Packets through the relay in both directions per second of the window (for {@code direct}: echoed both ways). */
    public double relayedPerSecond() {
        return (atPeer + client.packets().received()) / client.seconds();
    }

    /**
     * The relay's overhead per relayed packet in microseconds: this run's whole-machine busy CPU per second minus
     * the baseline's, over the packets relayed per second (NaN when nothing was relayed).
     */
    public double overheadMicrosPer(Measurement baseline) {
        double relayed = relayedPerSecond();
        return relayed == 0 ? Double.NaN : (client.busyCores() - baseline.client.busyCores()) / relayed * 1e6;
    }

    /** The load client's own CPU per packet it sent, in microseconds (its sends and receives). */
    public double clientMicrosPerSent() {
        return client.packets().sent() == 0 ? Double.NaN
                : (double) client.cpu().clientCpuMicros() / client.packets().sent();
    }
}
