package dev.tern.launcher.coturn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.api.Secret;
import dev.tern.credentials.rest.RestCredentialsConfig;
import dev.tern.relay.RelayConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CoturnExportTest {

    @Test
    void writesCidrBlocksAsTheRangesCoturnTakes() {
        assertEquals("10.0.0.0-10.255.255.255", CoturnExport.coturnRange("10.0.0.0/8"));
        assertEquals("100.64.0.0-100.127.255.255", CoturnExport.coturnRange("100.64.0.0/10"));
        assertEquals("192.0.2.7", CoturnExport.coturnRange("192.0.2.7"));
        assertEquals("10.0.0.1-10.0.0.9", CoturnExport.coturnRange("10.0.0.1-10.0.0.9"));
        assertEquals("fc00:0:0:0:0:0:0:0-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", CoturnExport.coturnRange("fc00::/7"));
        assertEquals("0:0:0:0:0:0:0:1", CoturnExport.coturnRange("::1/128"));
    }

    @Test
    void withoutARelaySectionUsesTheServerNameAsRealmAndRefusesLoopbackPeers() {
        String text = CoturnExport.render(RestCredentialsConfig.of(List.of(Secret.of("a-secret-of-enough-length-01")),
                List.of()), Optional.empty(), "example.org");
        assertTrue(text.contains("use-auth-secret\nstatic-auth-secret=a-secret-of-enough-length-01\n"), text);
        assertTrue(text.contains("realm=example.org\n"), text);
        assertTrue(text.contains("no-loopback-peers\n") && !text.contains("allow-loopback-peers"), text);
        assertTrue(text.contains("denied-peer-ip=127.0.0.0-127.255.255.255\n"), text);
        assertFalse(text.contains("rest-api-separator"), "':' is coturn's default: " + text);
    }

    @Test
    void listsARelayIpAndItsExternalIpPerAddressFamily() {
        RelayConfig dual = RelayConfig.builder("example.org")
                .listen("udp://0.0.0.0:3478")
                .relayAddress("10.0.0.5")
                .externalAddress("203.0.113.10")
                .relayAddressIpv6("fd00::5")
                .build();
        String text = CoturnExport.render(RestCredentialsConfig.of(List.of(Secret.of("a-secret-of-enough-length-01")),
                List.of()), Optional.of(dual), "example.org");
        assertTrue(text.contains("relay-ip=10.0.0.5\nexternal-ip=203.0.113.10/10.0.0.5\nrelay-ip=fd00:0:0:0:0:0:0:5\n"),
                text);
        assertFalse(text.contains("external-ip=fd00"), "the IPv6 address is advertised as it is: " + text);
    }
}
