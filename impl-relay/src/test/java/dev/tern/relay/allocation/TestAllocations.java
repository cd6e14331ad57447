package dev.tern.relay.allocation;

import dev.tern.relay.core.allocation.AllocationState;
import dev.tern.relay.quota.Bandwidth;
import dev.tern.spi.LongTermKey;
import dev.tern.spi.Transport;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Allocations of user {@code @a:x} for tests of the sockets and planes that carry them, made the way the relay's
 * Allocator makes them: the TURN core's {@link AllocationState} first, then the sockets that carry it out.
 */
public final class TestAllocations {

    /** The owner every test allocation has. */
    public static final AllocationState.Owner OWNER = new AllocationState.Owner("@a:x", "1:@a:x",
            new LongTermKey(new byte[16], new byte[32]), false);
    /** No rate limit, 10 permissions. */
    public static final AllocationState.Limits UNLIMITED = new AllocationState.Limits(Bandwidth.UNLIMITED, 10);

    private TestAllocations() {
    }

    /** An allocation with one relay socket, created at the epoch. */
    public static Allocation of(InetSocketAddress client, Transport transport, Channel clientChannel, Channel relay,
            InetSocketAddress relayed, Instant expiresAt) {
        return of(client, transport, clientChannel, List.of(Allocation.Relay.of(relay, relayed)), UNLIMITED,
                expiresAt);
    }

    /**
     * An allocation with these relay sockets, created at the epoch.
     *
     * @throws IllegalArgumentException when {@code relays} are none, two of one family, or more than two
     */
    public static Allocation of(InetSocketAddress client, Transport transport, Channel clientChannel,
            List<Allocation.Relay> relays, AllocationState.Limits limits, Instant expiresAt) {
        List<InetSocketAddress> relayed = new ArrayList<>();
        for (Allocation.Relay r : relays) {
            relayed.add(r.relayed());
        }
        AllocationState state = new AllocationState(OWNER, new AllocationState.Endpoints(client, transport, relayed),
                Instant.EPOCH, limits);
        state.expireIn(0, 0, expiresAt);
        return new Allocation(state, clientChannel, relays);
    }
}
