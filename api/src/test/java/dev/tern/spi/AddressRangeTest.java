package dev.tern.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressRangeTest {

    private static boolean in(String range, String address) throws Exception {
        return AddressRange.parse(range).contains(InetAddress.getByName(address));
    }

    @Test
    void cidrBlocksContainTheirAddressesOnly() throws Exception {
        assertTrue(in("192.0.2.0/24", "192.0.2.255"));
        assertFalse(in("192.0.2.0/24", "192.0.3.0"));
        assertTrue(in("10.0.0.0/8", "10.255.1.2"));
        assertFalse(in("10.0.0.0/8", "11.0.0.1"));
        assertTrue(in("0.0.0.0/0", "203.0.113.9"));
        assertTrue(in("2001:db8::/32", "2001:db8:ffff::1"));
        assertFalse(in("2001:db8::/33", "2001:db8:8000::1"));
        assertTrue(in("fe80::/10", "fe80::1"));
    }

    @Test
    void singleAddressesAndDashRangesAreInclusive() throws Exception {
        assertTrue(in("198.51.100.7", "198.51.100.7"));
        assertFalse(in("198.51.100.7", "198.51.100.8"));
        assertTrue(in("[::1]", "::1"));
        assertTrue(in("10.0.0.1 - 10.0.0.9", "10.0.0.9"));
        assertFalse(in("10.0.0.1-10.0.0.9", "10.0.0.10"));
        assertEquals(AddressRange.parse("192.0.2.0/24"), AddressRange.parse("192.0.2.0-192.0.2.255"));
    }

    @Test
    void familiesMeetOnlyThroughTheMappedForm() throws Exception {
        assertFalse(in("0.0.0.0/0", "2001:db8::1"), "an IPv4 block never holds an IPv6 address");
        assertFalse(in("0.0.0.0/0", "::1"));
        assertFalse(in("2001:db8::/32", "192.0.2.1"));
        assertTrue(in("192.0.2.0/24", "::ffff:192.0.2.5"), "IPv4-mapped IPv6 is its IPv4 address");
        assertTrue(in("::ffff:0:0/96", "192.0.2.5"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.org", "example.org/24", "192.0.2.0/33", "2001:db8::/129", "192.0.2.0/-1",
        "", " ", "/8", "192.0.2.0/x", "256.0.0.0/8", "01.2.3.4", "10.0.0.1/8", "10.0.0.9-10.0.0.1",
        "10.0.0.1-::1", "fe80::1%eth0", "1.2.3", "1.2.3.4.5"})
    void refusesAnythingElseSayingWhatWasExpected(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddressRange.parse(bad));
        assertTrue(e.getMessage().contains("expected"), e.getMessage());
    }

    @Test
    void refusesNullLikeEmpty() {
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse(null));
    }
}
