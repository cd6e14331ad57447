package dev.tern.bench.load;

/**
 * What a relay load run measured. Rates are per second of the sending window; a relayed packet is
 * one forward by the relay (client to peer, or peer to client).
 *
 * @param allocationsOk allocations made (and channel-bound or permitted)
 * @param allocationsFailed allocations that failed
 * @param allocateSeconds wall time to make all allocations
 * @param offeredPps packets per second the clients sent
 * @param deliveredPps packets per second that came back to the clients
 * @param sent packets sent by clients
 * @param peerReceived packets the echo peer received (client-to-peer forwards)
 * @param received packets back at the clients (peer-to-client forwards)
 * @param lossPercent 100 * (1 - received / sent)
 * @param rttP50Micros round trip client to peer to client, median
 * @param rttP99Micros 99th percentile
 * @param rttP999Micros 99.9th percentile
 * @param rttMaxMicros maximum
 * @param serverCpuSeconds server CPU seconds during the run, or -1 without a server pid
 * @param cpuMicrosPerRelayedPacket server CPU microseconds per relayed packet, or -1
 * @param userCpuMicrosPerRelayedPacket the part of it in user space (the rest is the kernel's), or -1
 * @param generatorCpuShare the load generator's own CPU during the run, as a share of the cores it may run on
 *     (1 = all of them busy: the generator, not the server, may then be the limit), NaN where {@code /proc}
 *     cannot tell
 * @param serverSocketDrops datagrams the kernel dropped at the server's sockets (its listener and the allocations'
 *     relay sockets) during the run, or -1 when they are not on this machine ({@link UdpDrops})
 * @param generatorSocketDrops datagrams dropped at the generator's own sockets (clients and echo peer), or -1
 */
public record LoadResult(int allocationsOk, int allocationsFailed, double allocateSeconds,
        double offeredPps, double deliveredPps, long sent, long peerReceived, long received,
        double lossPercent, double rttP50Micros, double rttP99Micros, double rttP999Micros,
        double rttMaxMicros, double serverCpuSeconds, double cpuMicrosPerRelayedPacket,
        double userCpuMicrosPerRelayedPacket, double generatorCpuShare, long serverSocketDrops,
        long generatorSocketDrops) {

    /** A generator using this share of its cores or more is taken to be saturated. */
    public static final double SATURATED_GENERATOR_SHARE = 0.9;

    /**
     * Whether the load generator, not the server, may have limited this run. Where sockets dropped datagrams,
     * that says who: the generator's own sockets dropped more than the server's. Where none did (or drops are
     * unknown), a generator that used {@link #SATURATED_GENERATOR_SHARE} of its cores or more is taken to be
     * the limit.
     */
    public boolean generatorLimited() {
        if (serverSocketDrops >= 0 && generatorSocketDrops >= 0 && serverSocketDrops + generatorSocketDrops > 0) {
            return generatorSocketDrops > serverSocketDrops;
        }
        return generatorCpuShare >= SATURATED_GENERATOR_SHARE;
    }

    /** A human-readable report. */
    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append(String.format("allocations      %d ok, %d failed, in %.3f s%n", allocationsOk, allocationsFailed,
                allocateSeconds));
        s.append(String.format("packets          offered %.0f/s, delivered %.0f/s (sent %d, at peer %d, back %d)%n",
                offeredPps, deliveredPps, sent, peerReceived, received));
        s.append(String.format("loss             %.3f %%%n", lossPercent));
        s.append(String.format("rtt (us)         p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n", rttP50Micros,
                rttP99Micros, rttP999Micros, rttMaxMicros));
        if (serverCpuSeconds >= 0) {
            s.append(String.format("server cpu       %.2f s, %.2f us per relayed packet (%.2f in user space)%n",
                    serverCpuSeconds, cpuMicrosPerRelayedPacket, userCpuMicrosPerRelayedPacket));
        }
        if (serverSocketDrops >= 0 || generatorSocketDrops >= 0) {
            s.append(String.format("socket drops     server %s, load generator %s%n", count(serverSocketDrops),
                    count(generatorSocketDrops)));
        }
        if (!Double.isNaN(generatorCpuShare)) {
            s.append(String.format("load generator   %.0f %% of its %d core(s)%s%n", 100 * generatorCpuShare,
                    Runtime.getRuntime().availableProcessors(),
                    generatorLimited() ? ": it may have been the limit" : ""));
        }
        return s.toString();
    }

    private static String count(long n) {
        return n < 0 ? "unknown" : Long.toString(n);
    }
}
