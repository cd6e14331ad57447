package dev.tern.relay.kernel;

/**
 * Cumulative counts the kernel forwarded for one {@link ChannelRoute} since it was installed. Bytes are payload
 * bytes (without the 4-byte ChannelData header and without padding), as the user-space plane counts them.
 *
 * @param packetsToPeer datagrams forwarded client to peer
 * @param bytesToPeer payload bytes forwarded client to peer
 * @param packetsToClient datagrams forwarded peer to client
 * @param bytesToClient payload bytes forwarded peer to client
 */
public record RouteCounters(long packetsToPeer, long bytesToPeer, long packetsToClient, long bytesToClient) {

    /** Nothing forwarded (a route that is not installed). */
    public static final RouteCounters ZERO = new RouteCounters(0, 0, 0, 0);
}
