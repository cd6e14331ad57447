package dev.tern.relay.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.guard.ClientLogThrottle;
import dev.tern.testing.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Failed credential checks per username and per address: allowance, refill, /64 grouping, bounded tables. */
class FailedCheckLimiterTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private FailedCheckLimiter limiter(int perUsername, int perAddress, int maxTracked) {
        return new FailedCheckLimiter(perUsername, perAddress, Duration.ofSeconds(10), maxTracked, nanos::get,
                new FailedCheckLog(ClientLogThrottle.perMinute(clock), lines::add));
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
        clock.advance(d);
    }

    @Test
    void pausesAUsernameOnceItsAllowanceIsUsedFromAnyAddresses() throws Exception {
        FailedCheckLimiter limiter = limiter(3, 100, 1000);
        for (int i = 1; i <= 3; i++) {
            assertFalse(limiter.paused("alice", ip("192.0.2." + i)), "before failure " + i);
            limiter.failed("alice", ip("192.0.2." + i));
        }
        assertTrue(limiter.paused("alice", ip("198.51.100.1")), "paused from every address");
        assertFalse(limiter.paused("bob", ip("192.0.2.1")), "other usernames go on");
    }

    @Test
    void pausesAnAddressOnceItsAllowanceIsUsedWhateverTheUsernames() throws Exception {
        FailedCheckLimiter limiter = limiter(100, 2, 1000);
        limiter.failed("alice", ip("192.0.2.1"));
        limiter.failed("bob", ip("192.0.2.1"));
        assertTrue(limiter.paused("carol", ip("192.0.2.1")));
        assertFalse(limiter.paused("carol", ip("192.0.2.2")));
    }

    @Test
    void countsIpv6AddressesPerSlash64() throws Exception {
        FailedCheckLimiter limiter = limiter(100, 2, 1000);
        limiter.failed("alice", ip("2001:db8:1:2::1"));
        limiter.failed("bob", ip("2001:db8:1:2:ffff::9"));
        assertTrue(limiter.paused("carol", ip("2001:db8:1:2:abcd::1")), "same /64");
        assertFalse(limiter.paused("carol", ip("2001:db8:1:3::1")), "next /64");
    }

    @Test
    void countsIpv4MappedAddressesAsTheirIpv4Address() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 7};
        InetAddress asIpv6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertEquals(ip("192.0.2.7"), FailedCheckLimiter.addressKey(asIpv6));
        assertEquals(ip("2001:db8:1:2::"), FailedCheckLimiter.addressKey(ip("2001:db8:1:2:3:4:5:6")));
    }

    @Test
    void givesBackOneFailedCheckPerRefillInterval() throws Exception {
        FailedCheckLimiter limiter = limiter(2, 100, 1000);
        limiter.failed("alice", ip("192.0.2.1"));
        limiter.failed("alice", ip("192.0.2.1"));
        assertTrue(limiter.paused("alice", ip("192.0.2.1")));
        advance(Duration.ofSeconds(9));
        assertTrue(limiter.paused("alice", ip("192.0.2.1")), "not before the interval");
        advance(Duration.ofSeconds(1));
        assertFalse(limiter.paused("alice", ip("192.0.2.1")), "one check back after 10 s");
        limiter.failed("alice", ip("192.0.2.1"));
        assertTrue(limiter.paused("alice", ip("192.0.2.1")), "and used again by one failure");
    }

    @Test
    void keepsAtMostMaxTrackedKeysPerTable() throws Exception {
        FailedCheckLimiter limiter = limiter(5, 5, 50);
        for (int i = 0; i < 5000; i++) {
            limiter.failed("user-" + i + "-".repeat(400), ip("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "."
                    + (i & 255)));
        }
        assertTrue(limiter.tracked() <= 100, "tracked " + limiter.tracked());
    }

    @Test
    void logsAtMostOneLinePerUsernameAndPerAddressAMinuteWithTheCount() throws Exception {
        FailedCheckLimiter limiter = limiter(1, 10_000, 1000);
        for (int i = 0; i < 3000; i++) {
            limiter.failed("alice", ip("192.0.2.7"));
        }
        assertEquals(List.of(
                "1 failed credential check(s) for username 'alice' within 60s, the latest from 192.0.2.7; "
                        + "checks for this username are paused",
                "1 failed credential check(s) from 192.0.2.7 within 60s, the latest for username 'alice'"), lines);
        advance(Duration.ofMinutes(1));
        limiter.failed("alice", ip("192.0.2.7"));
        assertEquals(4, lines.size());
        assertEquals("3000 failed credential check(s) for username 'alice' within 60s, the latest from 192.0.2.7; "
                + "checks for this username are paused", lines.get(2));
        assertEquals("3000 failed credential check(s) from 192.0.2.7 within 60s, the latest for username 'alice'",
                lines.get(3));
    }

    @Test
    void logsUsernamesCutShortAndWithoutControlCharacters() {
        assertEquals("evil?user?injected", FailedCheckLog.printable("evil\nuser\u2028injected"));
        assertEquals("x".repeat(64) + "…", FailedCheckLog.printable("x".repeat(500)));
    }
}
