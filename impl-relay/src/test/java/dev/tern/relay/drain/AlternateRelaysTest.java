package dev.tern.relay.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.spi.Transport;
import dev.tern.spi.RelayStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlternateRelaysTest {

    private static final InetAddress IPV4_CLIENT = address("127.0.0.1");
    private static final InetAddress IPV6_CLIENT = address("::1");

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static RelayStatus relay(String id, int allocations, boolean draining, String... uris) {
        return new RelayStatus(id, List.of(uris).stream().map(URI::create).toList(),
                RelayStatus.Setup.unknownKey("user"), new RelayStatus.Load(0, allocations, 0), draining, Instant.EPOCH);
    }

    private static Optional<InetSocketAddress> at(String host, int port) {
        return Optional.of(new InetSocketAddress(address(host), port));
    }

    @Test
    void picksTheLeastLoadedOtherRelayThatTakesAllocations() {
        List<RelayStatus> live = List.of(
                relay("self", 0, true, "turn:127.0.0.2:3478?transport=udp"),
                relay("busy", 9, false, "turn:127.0.0.3:3478?transport=udp"),
                relay("idle-but-draining", 0, true, "turn:127.0.0.4:3478?transport=udp"),
                relay("quiet", 1, false, "turn:127.0.0.5:3479?transport=udp"));
        assertEquals(at("127.0.0.5", 3479), AlternateRelays.choose(live, "self", Transport.UDP, IPV4_CLIENT));
    }

    @Test
    void neverNamesThisRelayEvenBeforeItsHeartbeatSaysDraining() {
        List<RelayStatus> live = List.of(relay("self", 0, false, "turn:127.0.0.2:3478?transport=udp"));
        assertEquals(Optional.empty(), AlternateRelays.choose(live, "self", Transport.UDP, IPV4_CLIENT));
    }

    @Test
    void keepsTheClientsTransport() {
        List<RelayStatus> live = List.of(relay("other", 0, false, "turn:127.0.0.3:3478?transport=udp",
                "turn:127.0.0.3:3478?transport=tcp", "turns:127.0.0.3:5349?transport=tcp"));
        assertEquals(at("127.0.0.3", 3478), AlternateRelays.choose(live, "self", Transport.TCP, IPV4_CLIENT));
        assertEquals(at("127.0.0.3", 5349), AlternateRelays.choose(live, "self", Transport.TLS, IPV4_CLIENT));
        List<RelayStatus> udpOnly = List.of(relay("other", 0, false, "turn:127.0.0.3:3478?transport=udp"));
        assertEquals(Optional.empty(), AlternateRelays.choose(udpOnly, "self", Transport.TLS, IPV4_CLIENT));
    }

    @Test
    void keepsTheClientsAddressFamily() {
        List<RelayStatus> live = List.of(relay("v4", 0, false, "turn:127.0.0.3:3478?transport=udp"),
                relay("v6", 5, false, "turn:[::1]:3480?transport=udp"));
        assertEquals(at("::1", 3480), AlternateRelays.choose(live, "self", Transport.UDP, IPV6_CLIENT));
        assertEquals(at("127.0.0.3", 3478), AlternateRelays.choose(live, "self", Transport.UDP, IPV4_CLIENT));
    }

    @Test
    void skipsHostNamesWildcardsAndUrisThatDoNotParse() {
        List<RelayStatus> live = List.of(relay("named", 0, false, "turn:turn2.example.org:3478?transport=udp"),
                relay("wildcard", 1, false, "turn:0.0.0.0:3478?transport=udp"),
                relay("broken", 2, false, "udp://127.0.0.9:3478"),
                relay("good", 3, false, "turn:127.0.0.4?transport=udp"));
        assertEquals(at("127.0.0.4", 3478), AlternateRelays.choose(live, "self", Transport.UDP, IPV4_CLIENT));
    }

    @Test
    void aRelayAloneHasNoAlternate() {
        assertEquals(Optional.empty(), AlternateRelays.NONE.choose(Transport.UDP, IPV4_CLIENT));
    }
}
