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
 */
public record LoadResult(int allocationsOk, int allocationsFailed, double allocateSeconds,
        double offeredPps, double deliveredPps, long sent, long peerReceived, long received,
        double lossPercent, double rttP50Micros, double rttP99Micros, double rttP999Micros,
        double rttMaxMicros, double serverCpuSeconds, double cpuMicrosPerRelayedPacket,
        double userCpuMicrosPerRelayedPacket) {

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
        return s.toString();
    }
}
