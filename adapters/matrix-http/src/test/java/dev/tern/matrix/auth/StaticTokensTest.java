package dev.tern.matrix.auth;

import dev.tern.spi.TokenResult;
import dev.tern.spi.AccessTokenVerifierProvider;
import dev.tern.spi.AccessTokenVerifier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.Secret;
import dev.tern.matrix.auth.fixed.StaticTokensConfig;
import dev.tern.matrix.auth.fixed.StaticTokensProvider;
import dev.tern.matrix.auth.fixed.UserToken;
import dev.tern.spi.InvalidSettingException;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StaticTokensTest {

    @Test
    void providersAreFoundByServiceLoader() {
        @SuppressWarnings("rawtypes")
        Set<String> types = ServiceLoader.load(AccessTokenVerifierProvider.class).stream()
                .map(p -> ((AccessTokenVerifierProvider<?>) p.get()).type()).collect(Collectors.toSet());
        assertEquals(Set.of("static", "whoami"), types);
    }

    @Test
    void mapsTokensToUsersAndMarksGuests() throws Exception {
        AccessTokenVerifier verifier = new StaticTokensProvider().createFrom(StaticTokensConfig.shortForm(
                Map.of("syt_tok", "@alice:example.org", "g", "@guest:example.org"), List.of("@guest:example.org")), null);
        assertEquals(TokenResult.Valid.user("@alice:example.org"), verifier.verify("syt_tok").toCompletableFuture().get());
        assertEquals(true, ((TokenResult.Valid) verifier.verify("g").toCompletableFuture().get()).guest());
        assertInstanceOf(TokenResult.Unknown.class, verifier.verify("syt_tok ").toCompletableFuture().get());
        assertInstanceOf(TokenResult.Unknown.class, verifier.verify("").toCompletableFuture().get());
        assertFalse(verifier.toString().contains("syt_tok"));
    }

    @Test
    void theLongFormGivesAUserSeveralTokensNextToTheShortFormAndRefusesATokenTwice() throws Exception {
        AccessTokenVerifier verifier = new StaticTokensProvider().createFrom(new StaticTokensConfig(
                Map.of("short", "@bob:example.org"),
                List.of(new UserToken("@alice:example.org", Secret.of("laptop")),
                        new UserToken("@alice:example.org", Secret.of("phone"))),
                List.of("@bob:example.org")), null);
        for (String token : List.of("laptop", "phone")) {
            TokenResult.Valid alice = (TokenResult.Valid) verifier.verify(token).toCompletableFuture().get();
            assertEquals("@alice:example.org", alice.userId());
            assertFalse(alice.guest());
        }
        assertTrue(((TokenResult.Valid) verifier.verify("short").toCompletableFuture().get()).guest());
        InvalidSettingException twice = assertThrows(InvalidSettingException.class, () -> new StaticTokensConfig(
                Map.of("same", "@bob:example.org"), List.of(new UserToken("@alice:example.org", Secret.of("same"))),
                null));
        assertEquals("users[0].token", twice.key());
        assertFalse(twice.getMessage().contains("same"), twice.getMessage());
    }

    @Test
    void refusesBadConfigNamingTheKeyWithoutShowingTheToken() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> StaticTokensConfig.shortForm(Map.of("sekrit-token", "alice"), null));
        assertEquals("tokens", e.key());
        assertFalse(e.getMessage().contains("sekrit-token"));
        assertEquals("users", assertThrows(InvalidSettingException.class, () -> StaticTokensConfig.shortForm(Map.of(), null)).key());
        assertEquals("guests[0]", assertThrows(InvalidSettingException.class,
                () -> StaticTokensConfig.shortForm(Map.of("t", "@a:b.org"), List.of("@c:b.org"))).key());
    }

    @Test
    void refusesTheMaskCheckConfigPrintsInPlaceOfATokenSoAPastedBackConfigIsNeverServed() {
        for (String masked : List.of("****", "**** (2)")) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class,
                    () -> StaticTokensConfig.shortForm(Map.of(masked, "@alice:example.org"), null));
            assertEquals("tokens", e.key());
            assertTrue(e.problem().contains("is the mask check-config prints"), e.problem());
        }
    }

    @Test
    void homeserverLookupBecomesAVerifier() throws Exception {
        AccessTokenVerifier verifier = AccessTokenVerifier.fromLookup(token -> switchOn(token));
        assertEquals("@hs:example.org", ((TokenResult.Valid) verifier.verify("mine").toCompletableFuture().get()).userId());
        assertInstanceOf(TokenResult.Unknown.class, verifier.verify("other").toCompletableFuture().get());
        assertInstanceOf(TokenResult.Unavailable.class, verifier.verify("boom").toCompletableFuture().get());
    }

    private static java.util.Optional<TokenResult.Valid> switchOn(String token) {
        if (token.equals("boom")) {
            throw new IllegalStateException("session store down");
        }
        return token.equals("mine") ? java.util.Optional.of(TokenResult.Valid.user("@hs:example.org"))
                : java.util.Optional.empty();
    }
}
