package dev.tern.spi;

import dev.tern.api.Transport;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A read-only snapshot of one relay allocation, for admin tools and audit.
 *
 * <p>Immutable and thread-safe; it does not change as the allocation does.
 *
 * @param userId the user the allocation's credentials belong to
 * @param username the TURN username used
 * @param transport how the client reaches the relay
 * @param client the client's address and port as the relay sees it
 * @param relayed the relayed transport address given to the client (the IPv4 one of a dual allocation)
 * @param peers the peer addresses with a current permission
 * @param createdAt when the allocation was made
 * @param expiresAt when it expires unless refreshed
 * @param bytesToPeers bytes relayed from the client to its peers
 * @param bytesFromPeers bytes relayed from peers to the client
 * @param relayedAddresses every relayed transport address of the allocation, {@code relayed} first: two
 *     for a dual (IPv4 and IPv6, RFC 8656 ADDITIONAL-ADDRESS-FAMILY) allocation, else just {@code relayed};
 *     byte counts and peers cover all of them (null or empty means just {@code relayed})
 */
public record AllocationView(
        String userId,
        String username,
        Transport transport,
        InetSocketAddress client,
        InetSocketAddress relayed,
        List<String> peers,
        Instant createdAt,
        Instant expiresAt,
        long bytesToPeers,
        long bytesFromPeers,
        List<InetSocketAddress> relayedAddresses) {

    public AllocationView {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(relayed, "relayed");
        peers = List.copyOf(peers);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        relayedAddresses = relayedAddresses == null || relayedAddresses.isEmpty() ? List.of(relayed)
                : List.copyOf(relayedAddresses);
        if (!relayedAddresses.get(0).equals(relayed)) {
            throw new IllegalArgumentException("relayedAddresses must start with relayed");
        }
    }
}
