package dev.tern.relay.core.allocation;

import java.net.InetSocketAddress;

/**
 * A channel binding that relays right now: bound, not expired, and its peer's permission live.
 *
 * @param number the channel number
 * @param peer the peer transport address bound to it
 * @param untilNanos when it stops relaying unless refreshed, on the allocation's monotonic clock: the
 *     earlier of the binding's and the permission's expiry
 */
public record LiveChannel(int number, InetSocketAddress peer, long untilNanos) {
}
