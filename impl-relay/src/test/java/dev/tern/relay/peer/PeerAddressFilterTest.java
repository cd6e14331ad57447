package dev.tern.relay.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.AddressRange;
import dev.tern.spi.InvalidSettingException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeerAddressFilterTest {

    private static final PeerAddressFilter DEFAULTS = PeerAddressFilter.create(List.of(), List.of(), List.of());

    /** Every range of the never-relay and recommended lists: first, last, and just outside each end. */
    @ParameterizedTest(name = "{0} permitted={1}")
    @CsvSource({
        // 0.0.0.0/8 (never)
        "0.0.0.0, false", "0.255.255.255, false", "1.0.0.0, true",
        // 127.0.0.0/8
        "126.255.255.255, true", "127.0.0.0, false", "127.255.255.255, false", "128.0.0.0, true",
        // 10.0.0.0/8
        "9.255.255.255, true", "10.0.0.0, false", "10.255.255.255, false", "11.0.0.0, true",
        // 100.64.0.0/10
        "100.63.255.255, true", "100.64.0.0, false", "100.127.255.255, false", "100.128.0.0, true",
        // 169.254.0.0/16
        "169.253.255.255, true", "169.254.0.0, false", "169.254.255.255, false", "169.255.0.0, true",
        // 172.16.0.0/12
        "172.15.255.255, true", "172.16.0.0, false", "172.31.255.255, false", "172.32.0.0, true",
        // 192.0.0.0/24
        "191.255.255.255, true", "192.0.0.0, false", "192.0.0.255, false", "192.0.1.0, true",
        // 192.0.2.0/24
        "192.0.1.255, true", "192.0.2.0, false", "192.0.2.255, false", "192.0.3.0, true",
        // 192.88.99.0/24
        "192.88.98.255, true", "192.88.99.0, false", "192.88.99.255, false", "192.88.100.0, true",
        // 192.168.0.0/16
        "192.167.255.255, true", "192.168.0.0, false", "192.168.255.255, false", "192.169.0.0, true",
        // 198.18.0.0/15
        "198.17.255.255, true", "198.18.0.0, false", "198.19.255.255, false", "198.20.0.0, true",
        // 198.51.100.0/24
        "198.51.99.255, true", "198.51.100.0, false", "198.51.100.255, false", "198.51.101.0, true",
        // 203.0.113.0/24
        "203.0.112.255, true", "203.0.113.0, false", "203.0.113.255, false", "203.0.114.0, true",
        // 224.0.0.0/4 and 240.0.0.0/4 (adjacent)
        "223.255.255.255, true", "224.0.0.0, false", "239.255.255.255, false",
        "240.0.0.0, false", "255.255.255.255, false",
        // ordinary public addresses
        "8.8.8.8, true", "2606:4700::1111, true",
        // ::/128 (never) and ::1/128; ::2 is IPv4-compatible 0.0.0.2, in 0.0.0.0/8
        "::, false", "::1, false", "::2, false",
        // Teredo 2001::/32 (never)
        "2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true", "2001::, false",
        "2001:0:ffff:ffff:ffff:ffff:ffff:ffff, false", "2001:1::, true",
        // 6to4 2002::/16 (never)
        "2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true", "2002::, false",
        "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff, false", "2003::, true",
        // NAT64 64:ff9b::/96
        "64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff, true", "64:ff9b::, false", "64:ff9b::ffff:ffff, false",
        "64:ff9b::1:0:0, true",
        // 100::/64
        "ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true", "100::, false", "100::ffff:ffff:ffff:ffff, false",
        "100:0:0:1::, true",
        // fc00::/7
        "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true", "fc00::, false",
        "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, false", "fe00::, true",
        // fe80::/10
        "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true", "fe80::, false",
        "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff, false", "fec0::, true",
        // ff00::/8
        "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true", "ff00::, false",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, false",
    })
    void defaultsFollowTheProtocolList(String address, boolean permitted) throws Exception {
        assertEquals(permitted, DEFAULTS.permits(InetAddress.getByName(address)), address);
    }

    /** Every IPv4-in-IPv6 form, built as a real Inet6Address (the JDK would turn some into Inet4Address). */
    @ParameterizedTest(name = "{0} permitted={1}")
    @CsvSource({
        // IPv4-mapped ::ffff:0:0/96: coturn CVE-2026-27624
        "::ffff:127.0.0.1, false", "::ffff:10.1.2.3, false", "::ffff:0.0.0.0, false", "::ffff:8.8.8.8, true",
        // IPv4-compatible ::/96
        "::127.0.0.1, false", "::192.168.1.1, false", "::8.8.8.8, true",
        // SIIT IPv4-translated ::ffff:0:0:0/96
        "::ffff:0:127.0.0.1, false", "::ffff:0:172.16.0.1, false", "::ffff:0:8.8.8.8, true",
        // NAT64 64:ff9b::/96: the prefix is denied by default, and the embedded address is checked
        "64:ff9b::127.0.0.1, false", "64:ff9b::8.8.8.8, false",
        // Teredo and 6to4 embedding public or private IPv4 addresses: always refused
        "2001:0:4136:e378:8000:63bf:3fff:fdd2, false", "2002:0808:0808::1, false", "2002:7f00:1::1, false",
    })
    void unwrapsEveryIpv4InIpv6Form(String address, boolean permitted) throws Exception {
        InetAddress v6 = inet6(address);
        assertInstanceOf(Inet6Address.class, v6);
        assertEquals(permitted, DEFAULTS.permits(v6), address);
        byte[] b = v6.getAddress();
        assertEquals(permitted, DEFAULTS.permits(AddressRange.toLong(b, 0), AddressRange.toLong(b, 8)), address);
    }

    @Test
    void refusesCoturnCveAddressesEvenWhenLoopbackIsAllowed() throws Exception {
        PeerAddressFilter filter = PeerAddressFilter.create(
                List.of("127.0.0.0/8", "::1", "0.0.0.0/8", "::/128"), List.of(), List.of());
        assertTrue(filter.permits(inet6("::ffff:127.0.0.1")), "mapped loopback follows the IPv4 allow");
        assertFalse(filter.permits(InetAddress.getByName("0.0.0.0")), "CVE-2020-26262 0.0.0.0");
        assertFalse(filter.permits(InetAddress.getByName("[::]")), "CVE-2020-26262 [::]");
        assertFalse(filter.permits(inet6("::ffff:0.0.0.0")), "mapped 0.0.0.0");
        assertFalse(DEFAULTS.permits(inet6("::ffff:127.0.0.1")), "CVE-2026-27624 with defaults");
        assertFalse(DEFAULTS.permits(InetAddress.getByName("::ffff:127.0.0.1")), "JDK-converted form");
    }

    @Test
    void refusesMappedLoopbackEvenWhenOnlyDeniedByConfig() throws Exception {
        PeerAddressFilter filter = PeerAddressFilter.create(List.of(), List.of("8.8.8.0/24"), List.of());
        assertFalse(filter.permits(inet6("::ffff:8.8.8.8")));
        assertFalse(filter.permits(inet6("::8.8.8.8")));
        assertFalse(filter.permits(inet6("::ffff:0:8.8.8.8")));
        assertTrue(filter.permits(InetAddress.getByName("8.8.9.1")));
    }

    @Test
    void allowListOverridesRecommendedDenyListOnlyForWhatItNames() throws Exception {
        PeerAddressFilter filter = PeerAddressFilter.create(
                List.of("127.0.0.1", "10.0.0.1-10.0.0.9", "fc00::/7", "::1"), List.of(), List.of());
        assertTrue(filter.permits(InetAddress.getByName("127.0.0.1")));
        assertFalse(filter.permits(InetAddress.getByName("127.0.0.2")));
        assertFalse(filter.permits(InetAddress.getByName("10.0.0.0")));
        assertTrue(filter.permits(InetAddress.getByName("10.0.0.1")));
        assertTrue(filter.permits(InetAddress.getByName("10.0.0.9")));
        assertFalse(filter.permits(InetAddress.getByName("10.0.0.10")));
        assertTrue(filter.permits(InetAddress.getByName("fd12:3456::1")));
        assertTrue(filter.permits(InetAddress.getByName("::1")));
        assertFalse(filter.permits(InetAddress.getByName("fe80::1")));
    }

    @Test
    void allowListNeverOpensTheNeverRelaySet() throws Exception {
        PeerAddressFilter filter = PeerAddressFilter.create(
                List.of("0.0.0.0/8", "::/128", "2001::/32", "2002::/16", "::/0", "0.0.0.0/0"),
                List.of(), List.of());
        for (String address : List.of("0.0.0.0", "0.1.2.3", "::", "2001::1", "2002:7f00:1::1")) {
            assertFalse(filter.permits(InetAddress.getByName(address)), address);
        }
        assertTrue(filter.permits(InetAddress.getByName("10.0.0.1")), "the allow-all opens the deny list");
    }

    @Test
    void allowedPeersWinOverDeniedPeers() throws Exception {
        PeerAddressFilter filter = PeerAddressFilter.create(
                List.of("8.8.8.8"), List.of("8.8.8.0-8.8.8.255", "2606:4700::/32"), List.of());
        assertTrue(filter.permits(InetAddress.getByName("8.8.8.8")));
        assertFalse(filter.permits(InetAddress.getByName("8.8.8.7")));
        assertFalse(filter.permits(InetAddress.getByName("2606:4700::1111")));
        assertTrue(filter.permits(InetAddress.getByName("2606:4701::1")));
    }

    @Test
    void refusesRelayOwnAddressesUnlessAllowed() throws Exception {
        InetAddress own = InetAddress.getByName("203.0.114.7");
        InetAddress own6 = InetAddress.getByName("2a01:4f8::7");
        PeerAddressFilter filter = PeerAddressFilter.create(List.of(), List.of(), List.of(own, own6));
        assertFalse(filter.permits(own));
        assertFalse(filter.permits(inet6("::ffff:203.0.114.7")));
        assertFalse(filter.permits(own6));
        assertTrue(filter.permits(InetAddress.getByName("203.0.114.8")));
        PeerAddressFilter allowing = PeerAddressFilter.create(List.of("203.0.114.7"), List.of(), List.of(own));
        assertTrue(allowing.permits(own));
    }

    @Test
    void nat64AddressNeedsBothThePrefixAndTheEmbeddedAddressAllowed() throws Exception {
        PeerAddressFilter prefixOnly = PeerAddressFilter.create(List.of("64:ff9b::/96"), List.of(), List.of());
        assertTrue(prefixOnly.permits(inet6("64:ff9b::8.8.8.8")));
        assertFalse(prefixOnly.permits(inet6("64:ff9b::127.0.0.1")));
        assertFalse(prefixOnly.permits(inet6("64:ff9b::0.0.0.0")));
        PeerAddressFilter both = PeerAddressFilter.create(List.of("64:ff9b::/96", "127.0.0.1"), List.of(), List.of());
        assertTrue(both.permits(inet6("64:ff9b::127.0.0.1")));
    }

    @Test
    void permitsIpv4BitsWithoutAnInetAddress() {
        assertFalse(DEFAULTS.permitsIpv4(0x7F000001));
        assertTrue(DEFAULTS.permitsIpv4(0x08080808));
        assertFalse(DEFAULTS.permitsIpv4(0xFFFFFFFF));
    }

    @Test
    void refusesNull() {
        assertFalse(DEFAULTS.permits(null));
    }

    @Test
    void unwrapReducesEveryIpv4InIpv6FormAndLeavesOthersAlone() throws Exception {
        for (String wrapped : List.of("::ffff:192.0.2.1", "::192.0.2.1", "::ffff:0:192.0.2.1", "64:ff9b::192.0.2.1")) {
            InetAddress unwrapped = PeerAddressFilter.unwrap(inet6(wrapped));
            assertInstanceOf(Inet4Address.class, unwrapped, wrapped);
            assertEquals(InetAddress.getByName("192.0.2.1"), unwrapped, wrapped);
        }
        for (String plain : List.of("::", "::1", "2001:db8::1", "64:ff9b::1:0:0")) {
            InetAddress address = inet6(plain);
            assertSame(address, PeerAddressFilter.unwrap(address), plain);
        }
        InetAddress v4 = InetAddress.getByName("192.0.2.1");
        assertSame(v4, PeerAddressFilter.unwrap(v4));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "10.0.0.0/33        | prefix length '33' of 10.0.0.0; expected a number from 0 to 32",
        "::1/129            | expected a number from 0 to 128",
        "10.0.0.0/x         | expected a number from 0 to 32",
        "10.0.0.1/8         | has bits set after the prefix",
        "300.1.1.1          | expected four numbers from 0 to 255",
        "1.2.3              | is not an IP address",
        "example.org        | is not an IP address",
        "10.0.0.9-10.0.0.1  | starts after it ends",
        "10.0.0.1-::1       | mixes IPv4 and IPv6",
        "fe80::1%eth0       | has a zone id",
        "2001:db8::zz       | is not an IPv6 address",
    })
    void rejectsMalformedEntriesNamingTheKey(String entry, String expected) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> PeerAddressFilter.create(List.of("8.8.8.8"), List.of("1.1.1.1", entry), List.of()));
        assertEquals("denied_peers[1]", e.key());
        assertTrue(e.problem().contains(expected), e.getMessage());
        InvalidSettingException allowed = assertThrows(InvalidSettingException.class,
                () -> PeerAddressFilter.create(List.of(entry), List.of(), List.of()));
        assertEquals("allowed_peers[0]", allowed.key());
    }

    @Test
    void rejectsEmptyAndNullEntries() {
        assertEquals("allowed_peers[0]", assertThrows(InvalidSettingException.class,
                () -> PeerAddressFilter.create(List.of(" "), List.of(), List.of())).key());
        assertEquals("denied_peers[0]", assertThrows(InvalidSettingException.class,
                () -> PeerAddressFilter.create(List.of(), Arrays.asList((String) null), List.of())).key());
    }

    @Test
    void acceptsBracketedIpv6AndWhitespace() throws Exception {
        PeerAddressFilter filter = PeerAddressFilter.create(List.of(" [::1] ", "10.0.0.1 - 10.0.0.2"), List.of(), List.of());
        assertTrue(filter.permits(InetAddress.getByName("::1")));
        assertTrue(filter.permits(InetAddress.getByName("10.0.0.2")));
    }

    private static InetAddress inet6(String literal) throws Exception {
        byte[] bytes = new byte[16];
        byte[] parsed = InetAddress.getByName(literal).getAddress();
        if (parsed.length == 4) {
            bytes[10] = (byte) 0xFF;
            bytes[11] = (byte) 0xFF;
            System.arraycopy(parsed, 0, bytes, 12, 4);
        } else {
            bytes = parsed;
        }
        return Inet6Address.getByAddress(null, bytes, -1);
    }
}
