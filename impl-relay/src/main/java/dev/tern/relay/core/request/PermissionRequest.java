package dev.tern.relay.core.request;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A CreatePermission request (RFC 8656 section 9).
 *
 * @param peers its XOR-PEER-ADDRESS values, in order
 * @param malformed whether one of them could not be decoded
 */
public record PermissionRequest(List<InetSocketAddress> peers, boolean malformed) {

    public PermissionRequest {
        peers = List.copyOf(peers);
    }
}
