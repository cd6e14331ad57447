package dev.tern.matrix.auth.fixed;

import dev.tern.spi.Subject;
import dev.tern.spi.InvalidSettingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code matrix.access_tokens: {type: static}} section: a fixed token-to-user map, for development,
 * demos and tests.
 *
 * <pre>{@code
 * access_tokens:
 *   type: static
 *   tokens: { "syt_alice": "@alice:example.org", "syt_guest": "@guest1:example.org" }
 *   guests: ["@guest1:example.org"]
 * }</pre>
 *
 * <p>Immutable and thread-safe. A bad value throws {@link InvalidSettingException} naming the key; no
 * message shows a token. A token starting with {@code ****} (the mask {@code check-config} prints) is refused.
 *
 * @param tokens access token to Matrix user id (required, at least one)
 * @param guests user ids (among the values of {@code tokens}) that are guests (default none)
 */
public record StaticTokensConfig(Map<String, String> tokens, List<String> guests) {

    /**
     * What {@code tern check-config} prints in place of each token ({@code ****}, {@code **** (2)}): refused as a
     * token, so a printed config pasted back unchanged is never served with a guessable token.
     */
    private static final String MASK = "****";

    public StaticTokensConfig {
        if (tokens == null || tokens.isEmpty()) {
            throw new InvalidSettingException("tokens", "needs at least one token, like {\"tok\": \"@alice:example.org\"}");
        }
        int i = 0;
        for (Map.Entry<String, String> entry : tokens.entrySet()) {
            if (entry.getKey() == null || entry.getKey().isEmpty()) {
                throw new InvalidSettingException("tokens", "entry " + i + " has an empty token");
            }
            if (entry.getKey().startsWith(MASK)) {
                throw new InvalidSettingException("tokens", "entry " + i + " is the mask check-config prints in place "
                        + "of a token; put the real token back");
            }
            requireUserId("tokens", "the user of entry " + i, entry.getValue());
            i++;
        }
        tokens = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tokens));
        guests = guests == null ? List.of() : List.copyOf(guests);
        for (int g = 0; g < guests.size(); g++) {
            requireUserId("guests[" + g + "]", "'" + guests.get(g) + "'", guests.get(g));
            if (!tokens.containsValue(guests.get(g))) {
                throw new InvalidSettingException("guests[" + g + "]", "'" + guests.get(g)
                        + "' has no token in tokens; list only users that have one");
            }
        }
    }

    /** The guest user ids, as a set. */
    public Set<String> guestSet() {
        return Set.copyOf(guests);
    }

    private static void requireUserId(String key, String what, String userId) {
        try {
            Subject.user(userId);
        } catch (RuntimeException e) {
            throw new InvalidSettingException(key, what + " is not a Matrix user id; expected @localpart:server");
        }
    }
}
