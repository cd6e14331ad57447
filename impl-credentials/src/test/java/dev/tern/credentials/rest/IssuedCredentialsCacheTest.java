package dev.tern.credentials.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IssuedCredentialsCacheTest {

    private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);
    private final AtomicInteger minted = new AtomicInteger();

    private IssuedCredentialsCache.Minted mint() {
        int n = minted.incrementAndGet();
        return new IssuedCredentialsCache.Minted("user" + n, "password" + n, 1_700_003_600L);
    }

    @Test
    void saysWhetherTheCredentialsWereMintedOrKept() {
        IssuedCredentialsCache cache = new IssuedCredentialsCache(10, clock);
        IssuedCredentialsCache.Issued first = cache.get("@alice:example.org", 3_600_000, 1, this::mint);
        IssuedCredentialsCache.Issued second = cache.get("@alice:example.org", 3_600_000, 1, this::mint);
        assertTrue(first.fresh());
        assertFalse(second.fresh());
        assertSame(first.minted(), second.minted());
        assertEquals(1, minted.get());
    }

    @Test
    void mintsAgainForANewSecretGeneration() {
        IssuedCredentialsCache cache = new IssuedCredentialsCache(10, clock);
        cache.get("@alice:example.org", 3_600_000, 1, this::mint);
        IssuedCredentialsCache.Issued rotated = cache.get("@alice:example.org", 3_600_000, 2, this::mint);
        assertTrue(rotated.fresh());
        assertEquals("user2", rotated.minted().username());
    }
}
