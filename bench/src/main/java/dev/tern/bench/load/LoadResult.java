package dev.tern.bench.load;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * What a relay load run measured, by concern: the allocations, the packets, their round trips, the server's CPU
 * and what says whether the load generator was the limit. Rates are per second of the sending window; a relayed
 * packet is one forward by the relay (client to peer, or peer to client). As JSON every figure is a field of one
 * flat object, named as in the records. Immutable.
 *
 * @param allocations allocations made and failed, and the time to make them
 * @param packets what was sent and came back
 * @param rtt round trip client to peer to client
 * @param serverCpu the server's CPU during the run
 * @param generator the load generator's own CPU and the sockets' drops
 */
public record LoadResult(@JsonUnwrapped AllocationCount allocations, @JsonUnwrapped Packets packets,
        @JsonUnwrapped Rtt rtt, @JsonUnwrapped ServerCpu serverCpu, @JsonUnwrapped Generator generator) {

    /**
     * The packets of a run.
     *
     * @param offeredPps packets per second the clients sent
     * @param deliveredPps packets per second that came back to the clients
     * @param sent packets sent by clients
     * @param peerReceived packets the echo peer received (client-to-peer forwards)
     * @param received packets back at the clients (peer-to-client forwards)
     * @param lossPercent 100 * (1 - received / sent)
     */
    public record Packets(double offeredPps, double deliveredPps, long sent, long peerReceived, long received,
            double lossPercent) {
    }

    /**
     * Round-trip percentiles in microseconds (NaN when nothing came back).
     *
     * @param p50Micros median
     * @param p99Micros 99th percentile
     * @param p999Micros 99.9th percentile
     * @param maxMicros maximum
     */
    public record Rtt(@JsonProperty("rttP50Micros") double p50Micros, @JsonProperty("rttP99Micros") double p99Micros,
            @JsonProperty("rttP999Micros") double p999Micros, @JsonProperty("rttMaxMicros") double maxMicros) {
    }

    /**
     * The server's CPU during the run; every figure -1 without a server pid (or with nothing relayed).
     *
     * @param serverCpuSeconds server CPU seconds during the run
     * @param cpuMicrosPerRelayedPacket server CPU microseconds per relayed packet
     * @param userCpuMicrosPerRelayedPacket the part of it in user space (the rest is the kernel's)
     */
    public record ServerCpu(double serverCpuSeconds, double cpuMicrosPerRelayedPacket,
            double userCpuMicrosPerRelayedPacket) {

        /** Not measured: no server pid. */
        public static final ServerCpu UNKNOWN = new ServerCpu(-1, -1, -1);
    }

    /**
     * What says whether the load generator, not the server, limited the run.
     *
     * @param generatorCpuShare the load generator's own CPU during the run, as a share of the cores it may run on
     *     (1 = all of them busy: the generator, not the server, may then be the limit), NaN where {@code /proc}
     *     cannot tell
     * @param serverSocketDrops datagrams the kernel dropped at the server's sockets (its listener and the
     *     allocations' relay sockets) during the run, or -1 when they are not on this machine ({@link UdpDrops})
     * @param generatorSocketDrops datagrams dropped at the generator's own sockets (clients and echo peer), or -1
     */
    public record Generator(double generatorCpuShare, long serverSocketDrops, long generatorSocketDrops) {

        /**
         * Whether the load generator, not the server, may have limited the run. Where sockets dropped datagrams,
         * that says who: the generator's own sockets dropped more than the server's. Where none did (or drops are
         * unknown), a generator that used {@link LoadResult#SATURATED_GENERATOR_SHARE} of its cores or more is taken to
         * be the limit.
         */
        public boolean limited() {
            if (serverSocketDrops >= 0 && generatorSocketDrops >= 0 && serverSocketDrops + generatorSocketDrops > 0) {
                return generatorSocketDrops > serverSocketDrops;
            }
            return generatorCpuShare >= SATURATED_GENERATOR_SHARE;
        }
    }

    /** The result of a run that made no allocation: nothing sent, everything lost, nothing measured. */
    public static LoadResult noAllocations(int failed, double allocateSeconds) {
        return new LoadResult(new AllocationCount(0, failed, allocateSeconds), new Packets(0, 0, 0, 0, 0, 100),
                new Rtt(Double.NaN, Double.NaN, Double.NaN, Double.NaN), ServerCpu.UNKNOWN, new Generator(0, -1, -1));
    }

    /** A generator using this share of its cores or more is taken to be saturated. */
    public static final double SATURATED_GENERATOR_SHARE = 0.9;

    /** Whether the load generator, not the server, may have limited this run ({@link Generator#limited()}). */
    public boolean generatorLimited() {
        return generator.limited();
    }

    /** A human-readable report. */
    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append(String.format("allocations      %d ok, %d failed, in %.3f s%n", allocations.ok(),
                allocations.failed(), allocations.seconds()));
        s.append(String.format("packets          offered %.0f/s, delivered %.0f/s (sent %d, at peer %d, back %d)%n",
                packets.offeredPps(), packets.deliveredPps(), packets.sent(), packets.peerReceived(),
                packets.received()));
        s.append(String.format("loss             %.3f %%%n", packets.lossPercent()));
        s.append(String.format("rtt (us)         p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n", rtt.p50Micros(),
                rtt.p99Micros(), rtt.p999Micros(), rtt.maxMicros()));
        if (serverCpu.serverCpuSeconds() >= 0) {
            s.append(String.format("server cpu       %.2f s, %.2f us per relayed packet (%.2f in user space)%n",
                    serverCpu.serverCpuSeconds(), serverCpu.cpuMicrosPerRelayedPacket(),
                    serverCpu.userCpuMicrosPerRelayedPacket()));
        }
        if (generator.serverSocketDrops() >= 0 || generator.generatorSocketDrops() >= 0) {
            s.append(String.format("socket drops     server %s, load generator %s%n",
                    count(generator.serverSocketDrops()), count(generator.generatorSocketDrops())));
        }
        if (!Double.isNaN(generator.generatorCpuShare())) {
            s.append(String.format("load generator   %.0f %% of its %d core(s)%s%n",
                    100 * generator.generatorCpuShare(),
                    Runtime.getRuntime().availableProcessors(),
                    generatorLimited() ? ": it may have been the limit" : ""));
        }
        return s.toString();
    }

    private static String count(long n) {
        return n < 0 ? "unknown" : Long.toString(n);
    }
}
