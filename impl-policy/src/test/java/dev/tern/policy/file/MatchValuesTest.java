package dev.tern.policy.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MatchValuesTest {

    private static boolean in(String cidr, String address) throws Exception {
        return Cidr.parse(cidr).contains(InetAddress.getByName(address));
    }

    @Test
    void cidrBlocksContainTheirAddressesOnly() throws Exception {
        assertTrue(in("192.0.2.0/24", "192.0.2.255"));
        assertFalse(in("192.0.2.0/24", "192.0.3.0"));
        assertTrue(in("192.0.2.77/24", "192.0.2.1"), "host bits in the network are ignored");
        assertTrue(in("10.0.0.0/8", "10.255.1.2"));
        assertTrue(in("0.0.0.0/0", "203.0.113.9"));
        assertFalse(in("0.0.0.0/0", "2001:db8::1"), "an IPv4 block never holds an IPv6 address");
        assertTrue(in("2001:db8::/32", "2001:db8:ffff::1"));
        assertFalse(in("2001:db8::/33", "2001:db8:8000::1"));
        assertTrue(in("198.51.100.7", "198.51.100.7"));
        assertFalse(in("198.51.100.7", "198.51.100.8"));
        assertTrue(in("192.0.2.0/24", "::ffff:192.0.2.5"), "IPv4-mapped IPv6 is its IPv4 address");
        assertTrue(in("fe80::/10", "fe80::1"));
    }

    @Test
    void cidrRefusesNamesAndBadPrefixes() {
        for (String bad : new String[] {"example.org/24", "192.0.2.0/33", "2001:db8::/129", "192.0.2.0/-1", "", "/8",
                "192.0.2.0/x", "256.0.0.0/8"}) {
            assertThrows(IllegalArgumentException.class, () -> Cidr.parse(bad), bad);
        }
        assertEquals(Cidr.parse("192.0.2.9/24"), Cidr.parse("192.0.2.0/24"));
    }

    @Test
    void namePatternsMatchExactlyByGlobOrByRegex() {
        assertTrue(NamePattern.parse("@alice:example.org").matches("@alice:example.org"));
        assertFalse(NamePattern.parse("@alice:example.org").matches("@alice:example.org.evil"));
        assertTrue(NamePattern.parse("@*:ministry.example.org").matches("@bob:ministry.example.org"));
        assertFalse(NamePattern.parse("@*:ministry.example.org").matches("@bob:ministryXexample.org"),
                "dots in globs are literal");
        assertTrue(NamePattern.parse("@bot-?:example.org").matches("@bot-7:example.org"));
        assertFalse(NamePattern.parse("@bot-?:example.org").matches("@bot-77:example.org"));
        assertTrue(NamePattern.parse("re:@(ann|bea):example\\.org").matches("@bea:example.org"));
        assertFalse(NamePattern.parse("re:@(ann|bea):example\\.org").matches("@bea:example.org2"),
                "a regex matches the whole id");
        assertThrows(IllegalArgumentException.class, () -> NamePattern.parse("re:(unclosed"));
        assertThrows(IllegalArgumentException.class, () -> NamePattern.parse(" "));
    }

    @Test
    void globsOfManyStarsAnswerAtOnceInsteadOfBacktracking() {
        // Found by PolicyFileFuzzTest: a glob of 120 stars compiled to 120 '.*' and hung the matcher.
        NamePattern stars = NamePattern.parse("*".repeat(60) + "istry.example" + "*".repeat(60) + "x");
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            assertFalse(stars.matches("@" + "a".repeat(200) + ":ministry.example.org"));
            assertTrue(stars.matches("@bob:ministry.example.org.x"));
        }, "a hang, not a slow match: the old matcher needed far longer than the age of the universe");
        assertTrue(NamePattern.parse("*").matches(""));
        assertTrue(NamePattern.parse("a*b*c").matches("aXbYbZc"));
        assertFalse(NamePattern.parse("a*b*c").matches("aXbYbZ"));
        assertTrue(NamePattern.parse("?*?").matches("ab"));
        assertFalse(NamePattern.parse("?*?").matches("a"));
        assertTrue(NamePattern.parse("@*:*.org").matches("@x:\n.org"), "a star matches any character");
    }
}
