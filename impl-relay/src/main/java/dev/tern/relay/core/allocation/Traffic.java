package dev.tern.relay.core.allocation;

/**
 * Packets and payload bytes relayed each way (bytes without ChannelData or Data indication framing).
 */
public record Traffic(long packetsToPeers, long bytesToPeers, long packetsFromPeers, long bytesFromPeers) {

    /** Nothing relayed. */
    public static final Traffic NONE = new Traffic(0, 0, 0, 0);

    /** The sum of this and {@code other}. */
    public Traffic plus(Traffic other) {
        return new Traffic(packetsToPeers + other.packetsToPeers, bytesToPeers + other.bytesToPeers,
                packetsFromPeers + other.packetsFromPeers, bytesFromPeers + other.bytesFromPeers);
    }

    /** What this has more than {@code earlier} (a later reading of the same cumulative counters). */
    public Traffic minus(Traffic earlier) {
        return new Traffic(packetsToPeers - earlier.packetsToPeers, bytesToPeers - earlier.bytesToPeers,
                packetsFromPeers - earlier.packetsFromPeers, bytesFromPeers - earlier.bytesFromPeers);
    }

    /** Payload bytes both ways. */
    public long bytes() {
        return bytesToPeers + bytesFromPeers;
    }

    /** Whether no packet went either way. */
    public boolean isEmpty() {
        return packetsToPeers == 0 && packetsFromPeers == 0;
    }
}
