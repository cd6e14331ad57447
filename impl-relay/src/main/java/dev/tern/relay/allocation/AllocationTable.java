package dev.tern.relay.allocation;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The allocations of one listening socket, by client address: with the socket fixed, the client
 * address completes the 5-tuple. Looked up for every ChannelData and Send indication.
 *
 * <p>Not thread-safe: confined to the listening socket's event loop (SO_REUSEPORT keeps a client's
 * packets on one socket, so on one loop).
 */
public final class AllocationTable {

    private final Map<InetSocketAddress, Allocation> byClient = new HashMap<>();

    /** The allocation of this client, or {@code null}. */
    public Allocation get(InetSocketAddress client) {
        return byClient.get(client);
    }

    public void put(Allocation allocation) {
        byClient.put(allocation.client(), allocation);
    }

    /** Removes the allocation if it is still the one for its client. */
    public void remove(Allocation allocation) {
        byClient.remove(allocation.client(), allocation);
    }

    /** The allocations (a copy). */
    public List<Allocation> all() {
        return new ArrayList<>(byClient.values());
    }

    public int size() {
        return byClient.size();
    }
}
