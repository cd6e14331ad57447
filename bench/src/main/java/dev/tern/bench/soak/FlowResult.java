package dev.tern.bench.soak;

import java.util.List;
import java.util.Optional;

/**
 * What one steady flow sent and got back. Immutable.
 *
 * @param id the flow's number (its channel is 0x4000 + id)
 * @param transport udp, tcp or tls
 * @param rate packets per second it aimed at
 * @param size payload bytes per packet
 * @param sent packets sent
 * @param received packets whose echo came back in time
 * @param late packets whose echo came back after the wait (a stalled machine, not a loss)
 * @param asIndications echoes that came back as Data indications instead of ChannelData (RFC 8656 allows
 *     it only for a peer without a channel; counted as received all the same)
 * @param firstLost the numbers of the first few packets lost
 * @param relayedToPeer packets the relay counted towards the peer on this flow's allocation (its admin API's
 *     bytes divided by {@code size}), or -1 when not known; with {@code relayedFromPeer} it says on which leg a
 *     lost packet went
 * @param relayedFromPeer packets the relay counted from the peer, or -1
 * @param error why the flow stopped early, or "" when it ran to the end
 */
record FlowResult(int id, String transport, int rate, int size, long sent, long received, long late,
        long asIndications, List<Long> firstLost, long relayedToPeer, long relayedFromPeer, String error) {

    FlowResult {
        firstLost = List.copyOf(firstLost);
    }

    /** The same, with the relay's own counts of this flow's packets. */
    FlowResult withRelayed(long toPeer, long fromPeer) {
        return new FlowResult(id, transport, rate, size, sent, received, late, asIndications, firstLost, toPeer, fromPeer,
                error);
    }

    /** Why the flow stopped early, if it did. */
    Optional<String> failure() {
        return error.isEmpty() ? Optional.empty() : Optional.of(error);
    }

    /** Sent and never back (a late echo of the very last packet would count here too: the flow stops waiting). */
    long lost() {
        return sent - received - late;
    }

    /** Bits per second of payload it carried each way, for comparing with the quota. */
    long bitsPerSecond() {
        return (long) rate * size * 8;
    }

    /** Every packet came back and nothing stopped the flow. */
    boolean intact() {
        return lost() == 0 && failure().isEmpty() && sent > 0;
    }
}
