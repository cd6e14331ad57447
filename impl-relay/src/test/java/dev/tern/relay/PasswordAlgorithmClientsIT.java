package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.stun.PasswordAlgorithm;
import dev.tern.stun.StunAttribute;
import dev.tern.turn.client.RequestIntegrity;
import dev.tern.turn.client.StunResponse;
import dev.tern.turn.client.TurnClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real relay over UDP, one {@link TurnClient} per way of signing requests (RFC 8489 section 9.2), each
 * checking every answer as a strict client does: the integrity attribute RFC 8489 9.2.4 prescribes, under the
 * key of the password algorithm the client used, or the answer does not count.
 */
class PasswordAlgorithmClientsIT {

    private static RelayFixture relay;
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);

    @BeforeAll
    static void start() {
        relay = RelayFixture.loopbackPeersAllowed();
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void anRfc5389ClientGetsMessageIntegrityUnderTheMd5Key() {
        assertSessionSigned(RequestIntegrity.classic(), PasswordAlgorithm.MD5, StunAttribute.MESSAGE_INTEGRITY);
    }

    @Test
    void aClientSendingOnlyTheSha256AttributeGetsMessageIntegrityUnderTheMd5Key() {
        assertSessionSigned(RequestIntegrity.sha256AttributeOnly(), PasswordAlgorithm.MD5,
                StunAttribute.MESSAGE_INTEGRITY);
    }

    @Test
    void aStrictRfc8489ClientPicksMd5AndGetsTheSha256AttributeUnderTheMd5Key() {
        assertSessionSigned(RequestIntegrity.strictRfc8489(), PasswordAlgorithm.MD5,
                StunAttribute.MESSAGE_INTEGRITY_SHA256);
    }

    @Test
    void aClientNegotiatingSha256GetsTheSha256AttributeUnderTheSha256Key() {
        assertSessionSigned(RequestIntegrity.negotiated(PasswordAlgorithm.SHA256), PasswordAlgorithm.SHA256,
                StunAttribute.MESSAGE_INTEGRITY_SHA256);
    }

    @Test
    void aClientNamingAnAlgorithmWithoutEchoingTheListIsRefusedWith400() {
        for (PasswordAlgorithm algorithm : PasswordAlgorithm.values()) {
            try (TurnClient client = relay.client("@alice:tern.test")
                    .integrity(RequestIntegrity.negotiated(algorithm).echoingAlgorithms(false))) {
                assertEquals(400, client.allocate().errorCode(), algorithm.name());
            }
        }
    }

    @Test
    void aClientEchoingTheListWithoutNamingAnAlgorithmIsRefusedWith400() {
        try (TurnClient client = relay.client("@alice:tern.test").integrity(
                new RequestIntegrity(RequestIntegrity.AlgorithmChoice.NONE, true, false, true))) {
            assertEquals(400, client.allocate().errorCode());
        }
    }

    /** Allocate, CreatePermission, Refresh: every answer authentic for the client and signed as expected. */
    private static void assertSessionSigned(RequestIntegrity how, PasswordAlgorithm expectedAlgorithm,
            int expectedAttribute) {
        int otherAttribute = expectedAttribute == StunAttribute.MESSAGE_INTEGRITY
                ? StunAttribute.MESSAGE_INTEGRITY_SHA256 : StunAttribute.MESSAGE_INTEGRITY;
        try (TurnClient client = relay.client("@alice:tern.test").integrity(how)) {
            StunResponse allocated = client.allocate();
            assertTrue(allocated.success(), "allocate: " + allocated.errorCode());
            assertEquals(expectedAlgorithm, client.passwordAlgorithm());
            for (StunResponse response : new StunResponse[] {allocated, client.createPermission(PEER),
                client.refresh(300), client.refresh(0)}) {
                assertTrue(response.success(), "answer " + response.method() + ": " + response.errorCode());
                assertTrue(response.has(expectedAttribute), "carries the prescribed integrity attribute");
                assertFalse(response.has(otherAttribute), "and not the other one");
                assertTrue(client.authentic(response), "authentic under the client's " + expectedAlgorithm + " key");
            }
        }
    }
}
