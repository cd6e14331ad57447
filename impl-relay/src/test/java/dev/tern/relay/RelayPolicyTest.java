package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.Bitrate;
import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.PolicyField;
import dev.tern.spi.Provenance;
import dev.tern.spi.Subject;
import dev.tern.spi.Transport;
import dev.tern.spi.TurnPolicy;
import dev.tern.turn.client.TurnClient;
import dev.tern.relay.plane.DataPlaneMode;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Per-user policy enforced by the relay: quotas, TURN denied, transports, bitrate. */
class RelayPolicyTest {

    /** A policy evaluator that answers every subject with one policy, later, from another thread. */
    static final class FixedPolicy implements PolicyEvaluator {
        final List<Subject> asked = new CopyOnWriteArrayList<>();
        private final PolicyDecision decision;
        private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

        FixedPolicy(TurnPolicy policy) {
            Map<PolicyField, Provenance> provenance = new EnumMap<>(PolicyField.class);
            for (PolicyField f : PolicyField.values()) {
                if (f.valueIn(policy).isPresent()) {
                    provenance.put(f, new Provenance("test", "fixed"));
                }
            }
            this.decision = new PolicyDecision(policy, provenance);
        }

        @Override
        public CompletionStage<PolicyDecision> decide(Subject subject) {
            asked.add(subject);
            CompletableFuture<PolicyDecision> f = new CompletableFuture<>();
            later.schedule(() -> f.complete(decision), 20, TimeUnit.MILLISECONDS);
            return f;
        }

        @Override
        public CompletionStage<PolicyDecision> decideServerWide() {
            return CompletableFuture.completedFuture(decision);
        }

        @Override
        public void close() {
            later.shutdownNow();
        }
    }

    private static RelayFixture relay(FixedPolicy policy, Integer userQuota) {
        return RelayFixture.start(RelayFixture.config(List.of("127.0.0.1"), userQuota), policy);
    }

    @Test
    void refusesAllocationsBeyondThePolicysMaxAllocationsWith486() {
        RecordingListener events = new RecordingListener();
        try (FixedPolicy policy = new FixedPolicy(TurnPolicy.builder().maxAllocations(1).build());
                RelayFixture relay = relay(policy, null); TurnClient first = relay.client("@alice:tern.test");
                TurnClient second = relay.client("@alice:tern.test"); TurnClient other = relay.client("@bob:tern.test")) {
            relay.server().addListener(events);
            assertTrue(first.allocate().success());
            assertEquals(486, second.allocate().errorCode());
            assertTrue(other.allocate().success(), "the quota is per user");
            assertTrue(events.events.contains("quota USER_ALLOCATIONS"));
            assertEquals("@alice:tern.test", policy.asked.get(0).userId());
            assertTrue(first.refresh(0).success());
            assertTrue(second.allocate().success(), "a deleted allocation frees its slot");
        }
    }

    @Test
    void usesTheConfiguredUserQuotaWhenPolicyHasNone() {
        try (FixedPolicy policy = new FixedPolicy(TurnPolicy.EMPTY); RelayFixture relay = relay(policy, 1);
                TurnClient first = relay.client("@alice:tern.test"); TurnClient second = relay.client("@alice:tern.test")) {
            assertTrue(first.allocate().success());
            assertEquals(486, second.allocate().errorCode());
        }
    }

    @Test
    void refusesUsersPolicyDeniesTurnWith403() {
        try (FixedPolicy policy = new FixedPolicy(TurnPolicy.builder().turnAllowed(false).build());
                RelayFixture relay = relay(policy, null); TurnClient client = relay.client("@alice:tern.test")) {
            assertEquals(403, client.allocate().errorCode());
            assertTrue(relay.server().allocations().isEmpty());
        }
    }

    @Test
    void refusesGuestsWith403WhenPolicyNoLongerAllowsThem() {
        RecordingListener events = new RecordingListener();
        try (FixedPolicy policy = new FixedPolicy(TurnPolicy.builder().guestsAllowed(false).build());
                RelayFixture relay = relay(policy, null); TurnClient guest = relay.guestClient("@123:tern.test");
                TurnClient user = relay.client("@alice:tern.test")) {
            relay.server().addListener(events);
            assertEquals(403, guest.allocate().errorCode());
            assertTrue(events.events.contains("quota GUEST"), events.events::toString);
            assertTrue(policy.asked.get(0).guest(), "the relay asks policy about a guest");
            assertTrue(user.allocate().success());
            assertTrue(!policy.asked.get(1).guest());
        }
    }

    @Test
    void refusesUdpWhenPolicyAllowsOnlyTls() {
        try (FixedPolicy policy = new FixedPolicy(TurnPolicy.builder().transports(Set.of(Transport.TLS)).build());
                RelayFixture relay = relay(policy, null); TurnClient client = relay.client("@alice:tern.test")) {
            assertEquals(403, client.allocate().errorCode());
        }
    }

    @Test
    void qualifiesBareRestUserNamesWithTheServerName() {
        try (FixedPolicy policy = new FixedPolicy(TurnPolicy.EMPTY); RelayFixture relay = relay(policy, null);
                TurnClient client = new TurnClient(relay.address(), java.time.Duration.ofSeconds(5))) {
            long expiry = System.currentTimeMillis() / 1000 + 600;
            String username = expiry + ":alice";
            client.credentials(username, restPassword(username));
            assertTrue(client.allocate().success());
            assertEquals("@alice:tern.test", policy.asked.get(0).userId());
        }
    }

    @Test
    void dropsTrafficAboveThePolicysBitrateAndCountsTheDrops() throws Exception {
        RecordingListener events = new RecordingListener();
        // 8 kbit/s = 1000 bytes/s; the burst is 16 KiB, so 40 packets of 1000 bytes cannot all pass. Per packet in
        // user space; the kernel plane charges the bucket once a second (KernelPlaneRelayIT).
        try (FixedPolicy policy = new FixedPolicy(TurnPolicy.builder().maxBitrate(Bitrate.parse("8k")).build());
                RelayFixture relay = RelayFixture.start(RelayFixture.config(List.of("127.0.0.1"), null)
                        .toBuilder().dataPlane(DataPlaneMode.USER).build(), policy);
                TurnClient client = relay.client("@alice:tern.test");
                DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            relay.server().addListener(events);
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertTrue(client.allocate().success());
            assertTrue(client.channelBind(0x4000, peerAddress).success());
            for (int i = 0; i < 40; i++) {
                client.sendChannelData(0x4000, new byte[1000]);
            }
            int received = 0;
            peer.setSoTimeout(1000);
            try {
                while (received < 40) {
                    peer.receive(new DatagramPacket(new byte[2048], 2048));
                    received++;
                }
            } catch (SocketTimeoutException drained) {
                // no more packets
            }
            assertTrue(received >= 16 && received < 40, "received " + received);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (events.rateLimitedPackets.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(40 - received, events.rateLimitedPackets.get());
        }
    }

    static String restPassword(String username) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
            mac.init(new javax.crypto.spec.SecretKeySpec(RelayFixture.SECRET.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8), "HmacSHA1"));
            return java.util.Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
