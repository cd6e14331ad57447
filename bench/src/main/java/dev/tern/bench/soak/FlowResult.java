package dev.tern.bench.soak;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import java.util.Optional;

/**
 * What one steady flow sent and got back, leg by leg. Immutable.
 *
 * <p>The legs of a packet: the client sends it ({@code sent}); the relay takes it from its listener and forwards
 * it to the peer ({@code relayedToPeer}, the relay's own count); the echo peer receives it
 * ({@code peerReceived}) and sends it back ({@code peerEchoed}); the relay takes it from the relay socket and
 * forwards it to the client ({@code relayedFromPeer}); the client receives it ({@code received} in time, or
 * {@code late}). The difference between two neighbours is what was lost on the leg between them; the kernel's
 * drop counts of the sockets on the way ({@code relaySocketDrops}, {@code clientSocketDrops}) say which part of
 * it a full receive buffer took.
 *
 * <p>As JSON one flat object with the fields of the records it is made of.
 *
 * @param plan the flow's number, transport, rate and packet size
 * @param client what the client counted
 * @param legs what the relay and the echo peer counted of this flow
 * @param drops what the kernel dropped at this flow's sockets
 * @param error why the flow stopped early, or "" when it ran to the end
 */
record FlowResult(@JsonUnwrapped FlowPlan plan, @JsonUnwrapped ClientCounts client, @JsonUnwrapped Legs legs,
        @JsonUnwrapped SocketDrops drops, String error) {

    /**
     * What the client counted.
     *
     * @param sent packets sent
     * @param received packets whose echo came back in time
     * @param late packets whose echo came back after the wait (a stalled machine, not a loss)
     * @param asIndications echoes that came back as Data indications instead of ChannelData (RFC 8656 allows
     *     it only for a peer without a channel; counted as received all the same)
     * @param garbled data the client received on the flow's channel that was not an echo of one of its own packets
     *     (another flow's number, a number it never sent): a relay that mixed up or damaged packets
     * @param firstLost the numbers of the first few packets lost
     */
    record ClientCounts(long sent, long received, long late, long asIndications, long garbled, List<Long> firstLost) {

        ClientCounts {
            firstLost = List.copyOf(firstLost);
        }
    }

    /**
     * What the relay and the echo peer counted of the flow, each -1 when not known.
     *
     * @param relayedToPeer packets the relay counted towards the peer on this flow's allocation (its admin API's
     *     bytes divided by the packet size, read once the flow stopped and the kernel plane's counts were collected)
     * @param peerReceived packets of this flow the echo peer received
     * @param peerEchoed packets of this flow the echo peer sent back
     * @param relayedFromPeer packets the relay counted from the peer
     */
    record Legs(long relayedToPeer, long peerReceived, long peerEchoed, long relayedFromPeer) {

        /** Nothing counted yet. */
        static final Legs UNKNOWN = new Legs(-1, -1, -1, -1);

        /** Whether every count is known. */
        boolean known() {
            return relayedToPeer >= 0 && peerReceived >= 0 && peerEchoed >= 0 && relayedFromPeer >= 0;
        }
    }

    /**
     * Datagrams the kernel dropped at the flow's sockets because their receive buffers were full.
     *
     * @param relaySocketDrops at this flow's relay socket, or -1
     * @param clientSocketDrops at this flow's own UDP socket, or -1 (TCP, TLS)
     */
    record SocketDrops(long relaySocketDrops, long clientSocketDrops) {

        /** Not read yet. */
        static final SocketDrops UNKNOWN = new SocketDrops(-1, -1);
    }

    /** The same, with the counts of the relay, the peer and the kernel. */
    FlowResult withLegs(Legs counted, SocketDrops dropped) {
        return new FlowResult(plan, client, counted, dropped, error);
    }

    /** Why the flow stopped early, if it did. */
    Optional<String> failure() {
        return error.isEmpty() ? Optional.empty() : Optional.of(error);
    }

    /** Sent and never back (a late echo of the very last packet would count here too: the flow stops waiting). */
    long lost() {
        return client.sent() - client.received() - client.late();
    }

    /** Whether the relay's and the peer's counts are known, so the legs can be told apart. */
    boolean legsKnown() {
        return legs.known();
    }

    /** Lost between the client's send and the relay forwarding it (the listener's socket, or the relay). */
    long lostClientToRelay() {
        return client.sent() - legs.relayedToPeer();
    }

    /** Lost between the relay forwarding it and the peer receiving it (the relay's send, the peer's socket). */
    long lostRelayToPeer() {
        return legs.relayedToPeer() - legs.peerReceived();
    }

    /** Lost between the peer's echo and the relay forwarding it back (the relay socket, or the relay). */
    long lostPeerToRelay() {
        return legs.peerEchoed() - legs.relayedFromPeer();
    }

    /** Lost between the relay forwarding it back and the client reading it (the relay's send, the client). */
    long lostRelayToClient() {
        return legs.relayedFromPeer() - client.received() - client.late();
    }

    /**
     * Packets the relay lost: taken in but not forwarded, on either way, as far as its own counts and the peer's
     * say. A packet lost at the relay's listener socket (before the relay counts it) shows in
     * {@link #lostClientToRelay()} and is counted here too: the listener is the relay's.
     */
    long lostByRelay() {
        return lostClientToRelay() + lostPeerToRelay();
    }

    /**
     * Lost packets the relay cannot be blamed for: those the kernel dropped at the flow's own full receive
     * buffer (UDP flows; what the client did not read in time is the client's loss, not the relay's).
     */
    long lostByClient() {
        return Math.max(0, Math.min(drops.clientSocketDrops(), lostRelayToClient()));
    }

    /**
     * Lost packets not explained by the client's own socket: the relay's (its listener, its relay socket, what it
     * took in and did not send), or the echo peer's when its socket dropped (reported apart, machine-wide for
     * the peer). Without the legs known, every lost packet.
     */
    long lostNotByClient() {
        return legsKnown() ? lost() - lostByClient() : lost();
    }

    /** Nothing stopped the flow and every lost packet is the client's own (its socket's full buffer). */
    boolean relayLostNothing() {
        return lostNotByClient() == 0 && client.garbled() == 0 && failure().isEmpty() && client.sent() > 0;
    }

    /** Every packet came back and nothing stopped the flow. */
    boolean intact() {
        return lost() == 0 && client.garbled() == 0 && failure().isEmpty() && client.sent() > 0;
    }
}
