package dev.tern.relay.core.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyField;
import dev.tern.spi.Provenance;
import dev.tern.spi.Transport;
import dev.tern.spi.TurnPolicy;
import dev.tern.relay.allocation.AllocationRegistry;
import dev.tern.relay.auth.AuthOutcome;
import dev.tern.stun.ChannelNumbers;
import dev.tern.stun.PasswordAlgorithm;
import dev.tern.relay.core.allocation.AllocationState;
import dev.tern.relay.core.allocation.LiveChannel;
import dev.tern.relay.quota.Bandwidth;
import dev.tern.spi.LongTermKey;
import dev.tern.spi.RelayListener.AuthFailure;
import dev.tern.relay.core.request.QuotaRefusal;
import dev.tern.spi.Verification;
import dev.tern.testing.MutableClock;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The TURN request path without sockets: decoded requests in, decisions out, time from a clock moved by hand.
 */
class TurnCoreTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("198.51.100.1", 40000);
    private static final InetSocketAddress RELAYED4 = new InetSocketAddress("203.0.113.1", 50000);
    private static final InetSocketAddress RELAYED6 = new InetSocketAddress("2001:db8::1", 50002);
    private static final InetSocketAddress PEER = new InetSocketAddress("198.51.100.7", 7000);
    private static final InetSocketAddress OTHER_PEER = new InetSocketAddress("198.51.100.8", 7000);
    private static final InetSocketAddress PEER6 = new InetSocketAddress("2001:db8::7", 7000);
    private static final InetSocketAddress DENIED = new InetSocketAddress("127.0.0.1", 7000);
    private static final LongTermKey KEY = new LongTermKey(new byte[16], new byte[32]);
    private static final AuthOutcome OK = authenticated("1:@alice:tern.test", KEY);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AllocationRegistry registry = new AllocationRegistry(Integer.MAX_VALUE, 2);
    private final TurnCore core = core(true);

    private TurnCore core(boolean ipv6) {
        CoreSettings settings = CoreSettings.builder()
                .serverName("tern.test")
                .lifetimes(new Lifetimes(Duration.ofMinutes(10), Duration.ofHours(1), false, clock))
                .userQuota(5)
                .maxPermissions(3)
                .channelNumbers(ChannelNumbers.RFC)
                .families(new CoreSettings.RelayedFamilies(true, ipv6, true))
                .build();
        PeerCheck peers = new PeerCheck() {
            @Override
            public boolean accepts(InetSocketAddress peer) {
                return !peer.getAddress().isLoopbackAddress();
            }

            @Override
            public boolean relayedAddress(InetSocketAddress peer) {
                return peer.equals(RELAYED4);
            }
        };
        return new TurnCore(settings, peers, registry, this::nanoTime);
    }

    private long nanoTime() {
        return Duration.between(Instant.EPOCH, clock.instant()).toNanos();
    }

    private static AuthOutcome.Authenticated authenticated(String username, LongTermKey key) {
        return new AuthOutcome.Authenticated(new Verification.Accepted(username, "@alice:tern.test", Optional.empty(),
                List.of(key), false), key, PasswordAlgorithm.MD5, false);
    }

    private static AllocateRequest udpAllocate() {
        return allocate(OptionalInt.of(17), OptionalInt.empty());
    }

    /** An Allocate with REQUESTED-TRANSPORT {@code transport} and REQUESTED-ADDRESS-FAMILY {@code family}. */
    private static AllocateRequest allocate(OptionalInt transport, OptionalInt family) {
        return new AllocateRequest(transport, new AllocateRequest.RelayPort(OptionalInt.empty(), OptionalLong.empty(),
                false), new AllocateRequest.Families(family, OptionalInt.empty()), OptionalLong.empty(), false);
    }

    private static PolicyDecision policy(TurnPolicy policy, PolicyField... answered) {
        Map<PolicyField, Provenance> provenance = new java.util.EnumMap<>(PolicyField.class);
        for (PolicyField f : answered) {
            provenance.put(f, Provenance.DEFAULTS);
        }
        return new PolicyDecision(policy, provenance);
    }

    /** Runs an Allocate through all its steps, as the transport does, with relayed addresses {@code relayed}. */
    private AllocationState allocate(List<InetSocketAddress> relayed) {
        Decision asked = core.allocate(udpAllocate(), CLIENT, Transport.UDP, OK, Optional.empty());
        PendingAllocation pending = assertInstanceOf(Decision.AskPolicy.class, asked).pending();
        Decision admitted = core.admit(pending, Optional.of(PolicyDecision.PERMISSIVE), Optional.empty());
        Bandwidth bandwidth = assertInstanceOf(Decision.BindRelayPort.class, admitted).bandwidth();
        Decision created = core.create(pending, relayed, bandwidth, Optional.empty());
        assertEquals(600, assertInstanceOf(Decision.Created.class, created).lifetimeSeconds());
        return ((Decision.Created) created).state();
    }

    private static Refusal refusal(Decision d) {
        return assertInstanceOf(Decision.Refuse.class, d).refusal();
    }

    @Test
    void allocateAsksPolicyThenAdmitsThenCreatesWithTheDefaultLifetime() {
        AllocationState state = allocate(List.of(RELAYED4));
        assertEquals(CLIENT, state.client());
        assertEquals(List.of(RELAYED4), state.relayed());
        assertEquals("@alice:tern.test", state.owner().userId());
        assertEquals(clock.instant().plusSeconds(600), state.expiresAt());
        assertEquals(1, registry.size(), "the slot is reserved when admitted");
    }

    @Test
    void challengesARequestWithoutCredentials() {
        AuthOutcome missing = new AuthOutcome.Refused(401, "Unauthorized", true,
                Optional.of(AuthFailure.MISSING_CREDENTIALS));
        Refusal r = refusal(core.allocate(udpAllocate(), CLIENT, Transport.UDP, missing, Optional.empty()));
        assertEquals(401, r.code());
        assertTrue(r.challenge(), "REALM, NONCE and PASSWORD-ALGORITHMS go with it");
        assertEquals(new Report.Auth(AuthFailure.MISSING_CREDENTIALS), r.report());
        AuthOutcome stale = new AuthOutcome.Refused(438, "Stale Nonce", true, Optional.of(AuthFailure.STALE_NONCE));
        assertEquals(438, refusal(core.refresh(new RefreshRequest(OptionalLong.of(600), OptionalInt.empty()), stale,
                Optional.of(allocate(List.of(RELAYED4))))).code());
    }

    @Test
    void refusesASecondAllocationOnTheSameFiveTupleAndOtherTransports() {
        AllocationState state = allocate(List.of(RELAYED4));
        assertEquals(437, refusal(core.allocate(udpAllocate(), CLIENT, Transport.UDP, OK, Optional.of(state))).code());
        AllocateRequest tcp = allocate(OptionalInt.of(6), OptionalInt.empty());
        assertEquals(442, refusal(core.allocate(tcp, CLIENT, Transport.UDP, OK, Optional.empty())).code());
        AllocateRequest none = allocate(OptionalInt.empty(), OptionalInt.empty());
        assertEquals(400, refusal(core.allocate(none, CLIENT, Transport.UDP, OK, Optional.empty())).code());
    }

    @Test
    void aNewAllocationOnTheFiveTupleWaitsUntilTheExpiredOneIsClosed() {
        AllocationState state = allocate(List.of(RELAYED4));
        clock.advance(Duration.ofSeconds(601));
        assertEquals(437, refusal(core.allocate(udpAllocate(), CLIENT, Transport.UDP, OK, Optional.of(state))).code(),
                "expired, but its timer has not closed it yet");
        state.markClosed();
        assertInstanceOf(Decision.AskPolicy.class,
                core.allocate(udpAllocate(), CLIENT, Transport.UDP, OK, Optional.of(state)));
    }

    @Test
    void refusesAFamilyTheRelayDoesNotRelay() {
        AllocateRequest ipv6 = allocate(OptionalInt.of(17), OptionalInt.of(2));
        assertEquals(440, refusal(core(false).allocate(ipv6, CLIENT, Transport.UDP, OK, Optional.empty())).code());
        assertInstanceOf(Decision.AskPolicy.class, core.allocate(ipv6, CLIENT, Transport.UDP, OK, Optional.empty()));
    }

    @Test
    void admitsAgainstPolicyAndQuotas() {
        PendingAllocation pending = ((Decision.AskPolicy) core.allocate(udpAllocate(), CLIENT, Transport.UDP, OK,
                Optional.empty())).pending();
        Refusal denied = refusal(core.admit(pending, Optional.of(policy(TurnPolicy.builder().turnAllowed(false)
                .build(), PolicyField.TURN_ALLOWED)), Optional.empty()));
        assertEquals(403, denied.code());
        assertEquals(new Report.Quota(QuotaRefusal.TURN_NOT_ALLOWED), denied.report());
        Refusal tls = refusal(core.admit(pending, Optional.of(policy(TurnPolicy.builder()
                .transports(Set.of(Transport.TLS)).build(), PolicyField.TRANSPORTS)), Optional.empty()));
        assertEquals(new Report.Quota(QuotaRefusal.TRANSPORT_NOT_ALLOWED), tls.report());
        Refusal userQuota = refusal(core.admit(pending, Optional.of(policy(TurnPolicy.builder().maxAllocations(0)
                .build(), PolicyField.MAX_ALLOCATIONS)), Optional.empty()));
        assertEquals(486, userQuota.code());
        assertEquals(new Report.Quota(QuotaRefusal.USER_ALLOCATIONS), userQuota.report());
        assertEquals(500, refusal(core.admit(pending, Optional.empty(), Optional.empty())).code(),
                "asking policy failed");
        assertEquals(0, registry.size(), "no slot taken by a refusal");

        // Two per source address: the third is refused.
        core.admit(pending, Optional.of(PolicyDecision.PERMISSIVE), Optional.empty());
        core.admit(pending, Optional.of(PolicyDecision.PERMISSIVE), Optional.empty());
        Refusal perSource = refusal(core.admit(pending, Optional.of(PolicyDecision.PERMISSIVE), Optional.empty()));
        assertEquals(486, perSource.code());
        assertEquals(new Report.Quota(QuotaRefusal.PER_SOURCE_LIMIT), perSource.report());
        registry.startDraining();
        assertEquals(508, refusal(core.admit(pending, Optional.of(PolicyDecision.PERMISSIVE), Optional.empty()))
                .code(), "a draining relay lacks capacity");
    }

    @Test
    void refreshesTheLifetimeWithinItsBoundsAndExpires() {
        AllocationState state = allocate(List.of(RELAYED4));
        clock.advance(Duration.ofSeconds(100));
        Decision d = core.refresh(new RefreshRequest(OptionalLong.of(7200), OptionalInt.empty()), OK,
                Optional.of(state));
        assertEquals(new Decision.Refreshed(3600), d, "capped at the maximum");
        assertEquals(new Decision.Refreshed(600), core.refresh(new RefreshRequest(OptionalLong.of(30),
                OptionalInt.empty()), OK, Optional.of(state)), "at least the default");
        clock.advance(Duration.ofSeconds(599));
        assertFalse(state.expired(nanoTime()));
        clock.advance(Duration.ofSeconds(1));
        assertTrue(state.expired(nanoTime()));
        assertEquals(437, refusal(core.refresh(new RefreshRequest(OptionalLong.of(600), OptionalInt.empty()), OK,
                Optional.of(state))).code(), "an expired allocation is gone even before its timer fires");
    }

    @Test
    void refreshZeroDeletesAndRemovesTheChannelRoutes() {
        AllocationState state = allocate(List.of(RELAYED4));
        core.channelBind(new ChannelBindRequest(OptionalInt.of(0x4000), Optional.of(PEER)), OK, Optional.of(state));
        Decision d = core.refresh(new RefreshRequest(OptionalLong.of(0), OptionalInt.empty()), OK, Optional.of(state));
        Decision.Delete delete = assertInstanceOf(Decision.Delete.class, d);
        assertEquals(List.of(new LiveChannel(0x4000, PEER, nanoTime() + AllocationState.PERMISSION_NANOS)),
                delete.removedRoutes());
    }

    @Test
    void refreshZeroWithAFamilyDeletesThatHalfOfADualAllocation() {
        AllocationState state = allocate(List.of(RELAYED4, RELAYED6));
        core.channelBind(new ChannelBindRequest(OptionalInt.of(0x4000), Optional.of(PEER6)), OK, Optional.of(state));
        core.channelBind(new ChannelBindRequest(OptionalInt.of(0x4001), Optional.of(PEER)), OK, Optional.of(state));
        Decision d = core.refresh(new RefreshRequest(OptionalLong.of(0), OptionalInt.of(2)), OK, Optional.of(state));
        Decision.DeleteFamily half = assertInstanceOf(Decision.DeleteFamily.class, d);
        assertTrue(half.ipv6());
        assertEquals(List.of(0x4000), half.removedRoutes().stream().map(LiveChannel::number).toList());
        assertEquals(List.of(RELAYED4), state.relayed());
        assertEquals(443, refusal(core.refresh(new RefreshRequest(OptionalLong.of(0), OptionalInt.of(2)), OK,
                Optional.of(state))).code(), "no IPv6 half any more");
    }

    @Test
    void permissionsExpireAfterFiveMinutesUnlessRefreshed() {
        AllocationState state = allocate(List.of(RELAYED4));
        SendIndication send = new SendIndication(Optional.of(PEER), true);
        assertEquals(new Decision.Ignore(), core.send(send, Optional.of(state)), "no permission yet");
        assertEquals(new Decision.PermissionsInstalled(List.of(PEER.getAddress())),
                core.createPermission(new PermissionRequest(List.of(PEER), false), OK, Optional.of(state)));
        clock.advance(Duration.ofSeconds(299));
        assertEquals(new Decision.Forward(PEER), core.send(send, Optional.of(state)));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(new Decision.Ignore(), core.send(send, Optional.of(state)), "expired at exactly 300 s");
        assertEquals(new Decision.Ignore(), core.send(new SendIndication(Optional.of(PEER), false),
                Optional.of(state)), "no DATA");
    }

    @Test
    void refusesPermissionsForDeniedMalformedOrTooManyPeers() {
        AllocationState state = allocate(List.of(RELAYED4));
        Refusal denied = refusal(core.createPermission(new PermissionRequest(List.of(PEER, DENIED), false), OK,
                Optional.of(state)));
        assertEquals(403, denied.code());
        assertEquals(new Report.PeerRefused(), denied.report());
        assertFalse(state.permitted(PEER.getAddress(), nanoTime()), "all or none");
        assertEquals(400, refusal(core.createPermission(new PermissionRequest(List.of(), true), OK,
                Optional.of(state))).code());
        assertEquals(443, refusal(core.createPermission(new PermissionRequest(List.of(PEER6), false), OK,
                Optional.of(state))).code());
        List<InetSocketAddress> four = List.of(PEER, OTHER_PEER, new InetSocketAddress("198.51.100.9", 1),
                new InetSocketAddress("198.51.100.10", 1));
        Refusal full = refusal(core.createPermission(new PermissionRequest(four, false), OK, Optional.of(state)));
        assertEquals(508, full.code(), "three permissions at most");
        assertEquals(new Report.Quota(QuotaRefusal.PERMISSIONS_PER_ALLOCATION), full.report());
    }

    @Test
    void channelBindFollowsRfc8656Rules() {
        AllocationState state = allocate(List.of(RELAYED4));
        Optional<AllocationState> on = Optional.of(state);
        core.refresh(new RefreshRequest(OptionalLong.of(3600), OptionalInt.empty()), OK, on);
        assertEquals(new Decision.ChannelInstalled(0x4000, PEER, true),
                core.channelBind(new ChannelBindRequest(OptionalInt.of(0x4000), Optional.of(PEER)), OK, on));
        assertEquals(400, refusal(core.channelBind(new ChannelBindRequest(OptionalInt.of(0x4000),
                Optional.of(OTHER_PEER)), OK, on)).code(), "same channel, other peer");
        assertEquals(400, refusal(core.channelBind(new ChannelBindRequest(OptionalInt.of(0x4001),
                Optional.of(PEER)), OK, on)).code(), "same peer, other channel");
        clock.advance(Duration.ofSeconds(500));
        assertEquals(new Decision.ChannelInstalled(0x4000, PEER, false),
                core.channelBind(new ChannelBindRequest(OptionalInt.of(0x4000), Optional.of(PEER)), OK, on),
                "a rebind refreshes");
        clock.advance(Duration.ofSeconds(500));
        assertEquals(PEER, state.boundChannel(0x4000, nanoTime()).peer(), "alive 1000 s after it was first bound");
        for (int outOfRange : new int[] {0x3FFF, 0x5000, 0x7FFF}) {
            assertEquals(400, refusal(core.channelBind(new ChannelBindRequest(OptionalInt.of(outOfRange),
                    Optional.of(OTHER_PEER)), OK, on)).code(), Integer.toHexString(outOfRange));
        }
        assertEquals(400, refusal(core.channelBind(new ChannelBindRequest(OptionalInt.empty(),
                Optional.of(OTHER_PEER)), OK, on)).code(), "no CHANNEL-NUMBER");
        assertEquals(400, refusal(core.channelBind(new ChannelBindRequest(OptionalInt.of(0x4002),
                Optional.empty()), OK, on)).code(), "no single XOR-PEER-ADDRESS");
        Refusal denied = refusal(core.channelBind(new ChannelBindRequest(OptionalInt.of(0x4002),
                Optional.of(DENIED)), OK, on));
        assertEquals(new Report.PeerRefused(), denied.report());
    }

    @Test
    void aChannelToARelayedAddressIsNeverADataPlaneRoute() {
        AllocationState state = allocate(List.of(RELAYED4));
        core.channelBind(new ChannelBindRequest(OptionalInt.of(0x4000), Optional.of(RELAYED4)), OK,
                Optional.of(state));
        assertTrue(state.boundChannel(0x4000, nanoTime()).toRelayedAddress());
        assertEquals(List.of(), state.liveChannels(nanoTime()));
    }

    @Test
    void requestsOnAnAllocationNeedItsOwnerAndKey() {
        AllocationState state = allocate(List.of(RELAYED4));
        RefreshRequest refresh = new RefreshRequest(OptionalLong.empty(), OptionalInt.empty());
        Refusal otherKey = refusal(core.refresh(refresh, authenticated("1:@alice:tern.test",
                new LongTermKey(new byte[16], "another SHA-256 key of 32 bytes!".getBytes(StandardCharsets.US_ASCII))),
                Optional.of(state)));
        assertEquals(441, otherKey.code());
        assertEquals(new Report.Auth(AuthFailure.WRONG_CREDENTIALS), otherKey.report());
        assertEquals(441, refusal(core.refresh(refresh, authenticated("2:@alice:tern.test", KEY),
                Optional.of(state))).code(), "another username");
        assertEquals(437, refusal(core.refresh(refresh, OK, Optional.empty())).code());
        state.markClosed();
        assertEquals(437, refusal(core.refresh(refresh, OK, Optional.of(state))).code(), "closed");
    }

    @Test
    void bindingAnswersTheMappedAddress() {
        assertEquals(new Decision.Mapped(CLIENT), core.binding(CLIENT, Optional.empty()));
    }
}
