package dev.tern.relay.core.request;

import dev.tern.relay.core.allocation.AllocationState;
import dev.tern.relay.core.allocation.LiveChannel;
import dev.tern.relay.quota.Bandwidth;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What the TURN core decided a request or indication does: the transport answers it and the data plane carries it
 * out. Every request decision but {@link AskPolicy} and {@link BindRelayPort} is answered at once; those two are
 * answered once policy has spoken or the ports are bound ({@link TurnCore#admit}, {@link TurnCore#create}).
 *
 * <p>Immutable values.
 */
public sealed interface Decision {

    /** Answer with this error; nothing changes. */
    record Refuse(Refusal refusal) implements Decision {
    }

    /** Binding: answer with XOR-MAPPED-ADDRESS {@code mapped}. */
    record Mapped(InetSocketAddress mapped) implements Decision {
    }

    /** Allocate: ask policy about {@code pending} (without blocking), then {@link TurnCore#admit}. */
    record AskPolicy(PendingAllocation pending) implements Decision {
    }

    /**
     * Allocate, admitted: bind relay ports for {@code pending}, then {@link TurnCore#create}.
     *
     * @param userQuota the user's allocation limit that admitted it ({@link Integer#MAX_VALUE} for none), for a
     *     fleet's lease over every relay
     */
    record BindRelayPort(PendingAllocation pending, Bandwidth bandwidth, int userQuota) implements Decision {
    }

    /**
     * Allocate, bound: the new allocation's state, with its lifetime already set. Serve it, start its expiry timer
     * and answer with its relayed addresses and LIFETIME.
     */
    record Created(AllocationState state, long lifetimeSeconds) implements Decision {
    }

    /** Refresh: the allocation lives {@code lifetimeSeconds} more; restart its expiry timer, answer with LIFETIME. */
    record Refreshed(long lifetimeSeconds) implements Decision {
    }

    /**
     * Refresh with LIFETIME 0: end the allocation and remove its channel routes from the data plane, answer with
     * LIFETIME 0.
     *
     * @param removedRoutes the channels that relayed until now, whose routes go
     */
    record Delete(String reason, List<LiveChannel> removedRoutes) implements Decision {

        public Delete {
            removedRoutes = List.copyOf(removedRoutes);
        }
    }

    /**
     * Refresh with LIFETIME 0 and a family of a dual allocation: that half is already gone from the state; close its
     * relay socket, remove the routes of its channels ({@code removedRoutes}), answer with LIFETIME 0.
     */
    record DeleteFamily(boolean ipv6, List<LiveChannel> removedRoutes) implements Decision {

        public DeleteFamily {
            removedRoutes = List.copyOf(removedRoutes);
        }
    }

    /** CreatePermission: these permissions are installed or refreshed; the data plane follows, answer success. */
    record PermissionsInstalled(List<InetAddress> peers) implements Decision {

        public PermissionsInstalled {
            peers = List.copyOf(peers);
        }
    }

    /**
     * ChannelBind: {@code number} is bound to {@code peer} ({@code fresh}: newly, else refreshed); install the
     * channel route in the data plane, answer success.
     */
    record ChannelInstalled(int number, InetSocketAddress peer, boolean fresh) implements Decision {
    }

    /** Send indication: forward its DATA to {@code peer} from the allocation's relay socket. */
    record Forward(InetSocketAddress peer) implements Decision {
    }

    /** An indication dropped without an answer. */
    record Ignore() implements Decision {
    }
}
