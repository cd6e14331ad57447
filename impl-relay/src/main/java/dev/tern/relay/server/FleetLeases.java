package dev.tern.relay.server;

import dev.tern.api.Transport;
import dev.tern.relay.allocation.Allocation;
import dev.tern.spi.Fleet;
import dev.tern.spi.LeaseOutcome;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The fleet's part of Allocate (#18): a user's {@code max_allocations} counted over every relay of the fleet through
 * one lease per allocation, taken after the relay's own quota admitted it and given back when the allocation ends.
 * An allocation is named by its client's transport and address, unique on one relay while it lives.
 *
 * <p>Without a fleet ({@link Fleet#NONE}) or without a limit, nothing is asked and the Allocate goes on at once, on
 * the same call. Otherwise the answer comes back on the client's event loop; a fleet store that cannot answer lets
 * the relay's local quota stand ({@link LeaseOutcome#LOCAL}). Thread-safe (the fleet is).
 */
public final class FleetLeases {

    private final Fleet fleet;

    public FleetLeases(Fleet fleet) {
        this.fleet = fleet;
    }

    /**
     * Asks the fleet for a lease and calls {@code admitted} with whether the Allocate may go on: on this thread
     * when no lease is needed, else on {@code loop}.
     *
     * @param userQuota the user's limit, or {@link Integer#MAX_VALUE} for none
     */
    void admit(String userId, Transport transport, InetSocketAddress client, int userQuota, EventLoop loop,
            Consumer<Boolean> admitted) {
        if (fleet == Fleet.NONE || userQuota == Integer.MAX_VALUE) {
            admitted.accept(true);
            return;
        }
        fleet.acquireLease(userId, id(transport, client), userQuota).whenComplete((outcome, error) ->
                loop.execute(() -> admitted.accept(error != null || outcome != LeaseOutcome.REFUSED)));
    }

    /** Gives back the lease of an Allocate that failed after {@link #admit}. */
    void release(String userId, Transport transport, InetSocketAddress client) {
        if (fleet != Fleet.NONE) {
            fleet.releaseLease(userId, id(transport, client));
        }
    }

    /** Gives back the lease of an allocation that ended. */
    void release(Allocation allocation) {
        release(allocation.userId(), allocation.transport(), allocation.client());
    }

    private static String id(Transport transport, InetSocketAddress client) {
        return transport.name().toLowerCase(Locale.ROOT) + "/" + client.getAddress().getHostAddress() + "/"
                + client.getPort();
    }
}
