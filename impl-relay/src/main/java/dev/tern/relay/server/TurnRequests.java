package dev.tern.relay.server;

import dev.tern.relay.allocation.Allocation;
import dev.tern.relay.allocation.AllocationTable;
import dev.tern.relay.auth.AuthOutcome;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunMessage;
import dev.tern.relay.core.allocation.AllocationState;
import dev.tern.relay.core.request.Decision;
import dev.tern.relay.core.request.TurnCore;
import dev.tern.spi.RelayListener.AuthFailure;
import dev.tern.relay.core.request.QuotaRefusal;
import dev.tern.stun.XorAddress;
import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Carries out the requests on an existing allocation (RFC 8656) as the {@link TurnCore} decides them: Refresh,
 * CreatePermission and ChannelBind. The core checks that each comes from the allocation's 5-tuple (else 437) with
 * the user and key that created it (else 441) and changes the allocation's state; this class answers, restarts the
 * expiry timer, tells the data plane and reports to listeners.
 *
 * <p>Not thread-safe: confined to the listening socket's event loop. Every request gets an answer;
 * bad input gets a 4xx, never an exception.
 */
final class TurnRequests {

    private final RelayRuntime runtime;
    private final TurnCore core;
    private final AllocationTable table;
    private final AllocationLifecycle lifecycle;
    private final RequestAuthentication authentication;

    TurnRequests(SocketContext socket) {
        this.runtime = socket.runtime();
        this.core = socket.core();
        this.table = socket.table();
        this.lifecycle = socket.lifecycle();
        this.authentication = socket.authentication();
    }

    void refresh(StunMessage m, InetSocketAddress client, Reply unsigned) {
        AuthOutcome auth = authentication.check(m, client);
        Allocation allocation = table.get(client);
        carryOut(core.refresh(CoreRequests.refresh(m), auth, state(allocation)), allocation,
                RequestAuthentication.signedFor(auth, unsigned));
    }

    void createPermission(StunMessage m, InetSocketAddress client, Reply unsigned) {
        AuthOutcome auth = authentication.check(m, client);
        Allocation allocation = table.get(client);
        carryOut(core.createPermission(CoreRequests.permission(m), auth, state(allocation)), allocation,
                RequestAuthentication.signedFor(auth, unsigned));
    }

    void channelBind(StunMessage m, InetSocketAddress client, Reply unsigned) {
        AuthOutcome auth = authentication.check(m, client);
        Allocation allocation = table.get(client);
        carryOut(core.channelBind(CoreRequests.channelBind(m), auth, state(allocation)), allocation,
                RequestAuthentication.signedFor(auth, unsigned));
    }

    private static Optional<AllocationState> state(Allocation allocation) {
        return Optional.ofNullable(allocation).map(Allocation::state);
    }

    /** Does what the core decided for a request on {@code allocation} and answers it. */
    private void carryOut(Decision decision, Allocation allocation, Reply reply) {
        if (decision instanceof Decision.Refuse refuse) {
            authentication.refuse(reply, refuse.refusal());
        } else if (decision instanceof Decision.Refreshed refreshed) {
            lifecycle.expireIn(allocation, refreshed.lifetimeSeconds());
            runtime.observers().events().allocationRefreshed(allocation.view());
            reply.success(w -> w.u32(StunAttribute.LIFETIME, refreshed.lifetimeSeconds()));
        } else if (decision instanceof Decision.Delete delete) {
            lifecycle.close(allocation, delete.reason());
            reply.success(w -> w.u32(StunAttribute.LIFETIME, 0));
        } else if (decision instanceof Decision.DeleteFamily family) {
            lifecycle.closeFamily(allocation, family.ipv6());
            reply.success(w -> w.u32(StunAttribute.LIFETIME, 0));
        } else if (decision instanceof Decision.PermissionsInstalled installed) {
            lifecycle.changed(allocation);
            for (InetAddress peer : installed.peers()) {
                runtime.observers().events().permissionCreated(allocation.view(), peer);
            }
            reply.success();
        } else if (decision instanceof Decision.ChannelInstalled channel) {
            lifecycle.changed(allocation);
            if (channel.fresh()) {
                runtime.observers().events().channelBound(allocation.view(), channel.number(),
                        channel.peer().getAddress().getHostAddress() + ":" + channel.peer().getPort());
            }
            reply.success();
        } else {
            throw new IllegalStateException("not a decision on an allocation: " + decision);
        }
    }
}
