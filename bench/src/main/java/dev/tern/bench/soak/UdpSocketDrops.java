package dev.tern.bench.soak;

/**
 * Datagrams the kernel dropped during the churn at the UDP sockets the steady flows go through (their
 * {@code /proc/net/udp} drops: a receive buffer that was full because its reader stalled), to say where a lost
 * packet went. -1 where the socket was not found. Immutable.
 *
 * @param relayListener the relay's UDP listener (every UDP client's packets, the churn's included)
 * @param flowRelayPorts the relay sockets of the steady flows' allocations (their echoes from the peer)
 * @param flowClients the UDP steady flows' own sockets (the relay's ChannelData to them)
 * @param flowEchoPeer the steady flows' echo peer
 * @param churnEchoPeer the churn's echo peer (coturn's client and the churn's packets)
 * @param flowEchoPeerReceived datagrams the steady flows' echo peer received (and echoed) during the churn,
 *     to compare with what the relay says it forwarded to it
 */
record UdpSocketDrops(long relayListener, long flowRelayPorts, long flowClients, long flowEchoPeer,
        long churnEchoPeer, long flowEchoPeerReceived) {
}
