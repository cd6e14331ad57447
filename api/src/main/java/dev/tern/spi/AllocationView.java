package dev.tern.spi;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A read-only snapshot of one relay allocation, for admin tools and audit.
 *
 * <p>Immutable and thread-safe; it does not change as the allocation does. Null components throw
 * {@link NullPointerException}.
 *
 * @param owner whose credentials made the allocation
 * @param addresses where the client is and the addresses relayed for it
 * @param peers the peer addresses with a current permission
 * @param lifetime when it was made and when it expires
 * @param traffic the bytes relayed so far, each way
 */
public record AllocationView(Owner owner, Addresses addresses, List<String> peers, Lifetime lifetime,
        Traffic traffic) {

    public AllocationView {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(addresses, "addresses");
        peers = List.copyOf(peers);
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(traffic, "traffic");
    }

    /**
     * Whose credentials made the allocation.
     *
     * @param userId the user the allocation's credentials belong to
     * @param username the TURN username used
     */
    public record Owner(String userId, String username) {

        public Owner {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(username, "username");
        }
    }

    /**
     * Where the client is and what the relay gave it.
     *
     * @param transport how the client reaches the relay
     * @param client the client's address and port as the relay sees it
     * @param relayed the relayed transport address given to the client (the IPv4 one of a dual allocation)
     * @param relayedAddresses every relayed transport address of the allocation, {@code relayed} first: two
     *     for a dual (IPv4 and IPv6, RFC 8656 ADDITIONAL-ADDRESS-FAMILY) allocation, else just {@code relayed};
     *     byte counts and peers cover all of them (null or empty means just {@code relayed}); one that does not
     *     start with {@code relayed} throws {@link IllegalArgumentException}
     */
    public record Addresses(Transport transport, InetSocketAddress client, InetSocketAddress relayed,
            List<InetSocketAddress> relayedAddresses) {

        public Addresses {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(relayed, "relayed");
            relayedAddresses = relayedAddresses == null || relayedAddresses.isEmpty() ? List.of(relayed)
                    : List.copyOf(relayedAddresses);
            if (!relayedAddresses.get(0).equals(relayed)) {
                throw new IllegalArgumentException("relayedAddresses must start with relayed");
            }
        }
    }

    /**
     * When the allocation was made and when it ends.
     *
     * @param createdAt when the allocation was made
     * @param expiresAt when it expires unless refreshed
     */
    public record Lifetime(Instant createdAt, Instant expiresAt) {

        public Lifetime {
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /**
     * What the allocation relayed so far, over all its relayed addresses.
     *
     * @param bytesToPeers bytes relayed from the client to its peers
     * @param bytesFromPeers bytes relayed from peers to the client
     */
    public record Traffic(long bytesToPeers, long bytesFromPeers) {
    }
}
