package dev.tern.relay.server;

import dev.tern.relay.allocation.Allocation;
import dev.tern.relay.allocation.AllocationTable;
import dev.tern.relay.auth.AuthOutcome;
import dev.tern.spi.RelayListener.AuthFailure;
import dev.tern.spi.RelayListener.QuotaRefusal;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunMessage;
import dev.tern.stun.XorAddress;
import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The requests on an existing allocation (RFC 8656): Refresh, CreatePermission and ChannelBind. Each
 * must come from the allocation's 5-tuple (else 437) with the user and key that created it (else 441).
 *
 * <p>Not thread-safe: confined to the listening socket's event loop. Every request gets an answer;
 * bad input gets a 4xx, never an exception.
 */
final class TurnRequests {

    private final RelayRuntime runtime;
    private final AllocationTable table;
    private final AllocationLifecycle lifecycle;
    private final RequestAuthentication authentication;

    TurnRequests(RelayRuntime runtime, AllocationTable table, AllocationLifecycle lifecycle,
            RequestAuthentication authentication) {
        this.runtime = runtime;
        this.table = table;
        this.lifecycle = lifecycle;
        this.authentication = authentication;
    }

    /** An allocation, the authenticated request made on it, and how to answer. */
    private record Authorized(Allocation allocation, AuthOutcome.Authenticated auth, Reply reply) {
    }

    void refresh(StunMessage m, InetSocketAddress client, Reply unsigned) {
        Authorized a = authorize(m, client, unsigned);
        if (a == null) {
            return;
        }
        // RFC 8656 section 7.3 (from RFC 6156): REQUESTED-ADDRESS-FAMILY names one family of the allocation
        // (else 443); with LIFETIME 0 it deletes only that family's half of a dual allocation.
        int family = Allocator.firstByte(m, StunAttribute.REQUESTED_ADDRESS_FAMILY);
        boolean ipv6 = family == StunAttribute.FAMILY_IPV6;
        if (family >= 0 && (family != StunAttribute.FAMILY_IPV4 && !ipv6
                || a.allocation().relayOfFamily(ipv6) == null)) {
            a.reply().error(443, "Peer Address Family Mismatch");
            return;
        }
        long requested = m.u32(StunAttribute.LIFETIME);
        if (requested == 0) {
            if (family < 0 || !lifecycle.closeFamily(a.allocation(), ipv6)) {
                lifecycle.close(a.allocation(), "deleted by client");
            }
            a.reply().success(w -> w.u32(StunAttribute.LIFETIME, 0));
            return;
        }
        long lifetime = lifecycle.lifetimeSeconds(requested, a.auth().credentials());
        lifecycle.expireIn(a.allocation(), lifetime);
        runtime.events().allocationRefreshed(a.allocation().view());
        a.reply().success(w -> w.u32(StunAttribute.LIFETIME, lifetime));
    }

    void createPermission(StunMessage m, InetSocketAddress client, Reply unsigned) {
        Authorized a = authorize(m, client, unsigned);
        if (a == null) {
            return;
        }
        List<InetAddress> peers = new ArrayList<>();
        List<InetSocketAddress> transportAddresses = new ArrayList<>();
        for (ByteBuf v : m.attributes(StunAttribute.XOR_PEER_ADDRESS)) {
            Optional<InetSocketAddress> peer = XorAddress.decode(v, m.transactionId());
            if (peer.isEmpty()) {
                a.reply().error(400, "Bad Request");
                return;
            }
            transportAddresses.add(peer.get());
            peers.add(peer.get().getAddress());
        }
        if (peers.isEmpty()) {
            a.reply().error(400, "Bad Request");
            return;
        }
        for (InetSocketAddress peer : transportAddresses) {
            if (!peerAcceptable(a, peer)) {
                return;
            }
        }
        if (!a.allocation().permit(peers, runtime.nanoTime().getAsLong())) {
            runtime.events().quotaRefused(QuotaRefusal.PERMISSIONS_PER_ALLOCATION);
            a.reply().error(508, "Insufficient Capacity");
            return;
        }
        lifecycle.changed(a.allocation());
        for (InetAddress peer : peers) {
            runtime.events().permissionCreated(a.allocation().view(), peer);
        }
        a.reply().success();
    }

    void channelBind(StunMessage m, InetSocketAddress client, Reply unsigned) {
        Authorized a = authorize(m, client, unsigned);
        if (a == null) {
            return;
        }
        int number = (int) (m.u32(StunAttribute.CHANNEL_NUMBER) >>> 16);
        List<ByteBuf> values = m.attributes(StunAttribute.XOR_PEER_ADDRESS);
        Optional<InetSocketAddress> peer = values.size() == 1 ? XorAddress.decode(values.get(0), m.transactionId())
                : Optional.empty();
        if (!runtime.channelNumbers().accepts(number) || peer.isEmpty()) {
            a.reply().error(400, "Bad Request");
            return;
        }
        if (!peerAcceptable(a, peer.get())) {
            return;
        }
        boolean toRelayedAddress = runtime.ownAddresses().relayedAddress(peer.get());
        switch (a.allocation().bind(number, peer.get(), toRelayedAddress, runtime.nanoTime().getAsLong())) {
            case CONFLICT -> a.reply().error(400, "Bad Request");
            case NO_PERMISSION_ROOM -> {
                runtime.events().quotaRefused(QuotaRefusal.PERMISSIONS_PER_ALLOCATION);
                a.reply().error(508, "Insufficient Capacity");
            }
            case BOUND -> {
                lifecycle.changed(a.allocation());
                runtime.events().channelBound(a.allocation().view(), number,
                        peer.get().getAddress().getHostAddress() + ":" + peer.get().getPort());
                a.reply().success();
            }
            case REFRESHED -> {
                lifecycle.changed(a.allocation());
                a.reply().success();
            }
        }
    }

    /**
     * Of a family the allocation relays (else 443), and accepted by {@link dev.tern.relay.allocation.OwnAddresses}
     * (else 403): a live relayed address of this relay, or else neither one of its listeners nor refused by the
     * peer filter.
     */
    private boolean peerAcceptable(Authorized a, InetSocketAddress peer) {
        if (!a.allocation().relaysFamilyOf(peer.getAddress())) {
            a.reply().error(443, "Peer Address Family Mismatch");
            return false;
        }
        if (!runtime.ownAddresses().accepts(peer)) {
            runtime.events().peerRefused();
            a.reply().error(403, "Forbidden");
            return false;
        }
        return true;
    }

    /** The allocation a request is made on, or {@code null} once an error has been sent. */
    private Authorized authorize(StunMessage m, InetSocketAddress client, Reply unsigned) {
        AuthOutcome.Authenticated ok = authentication.authenticate(m, client, unsigned);
        if (ok == null) {
            return null;
        }
        Reply reply = unsigned.signed(RequestAuthentication.signing(ok));
        Allocation allocation = table.get(client);
        if (allocation == null) {
            reply.error(437, "Allocation Mismatch");
            return null;
        }
        if (!allocation.username().equals(ok.credentials().username()) || !allocation.key().equals(ok.key())
                || allocation.sha256() != ok.sha256Key()) {
            runtime.events().authFailed(AuthFailure.WRONG_CREDENTIALS);
            reply.error(441, "Wrong Credentials");
            return null;
        }
        return new Authorized(allocation, ok, reply);
    }
}
