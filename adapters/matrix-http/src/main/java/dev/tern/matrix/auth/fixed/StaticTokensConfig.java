package dev.tern.matrix.auth.fixed;

import dev.tern.spi.Secret;
import dev.tern.spi.Subject;
import dev.tern.spi.InvalidSettingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code matrix.access_tokens: {type: static}} section: fixed access tokens and their users, for development,
 * demos and tests. Tokens are given in {@code users} (a list of user and token, so a user may have several and
 * the token is a value: {@code check-config} prints it masked and the printed config loads again), or in the
 * short form {@code tokens} (token to user), or both.
 *
 * <pre>{@code
 * access_tokens:
 *   type: static
 *   users:
 *     - { user: "@alice:example.org", token: "${ALICE_TOKEN}" }
 *     - { user: "@guest1:example.org", token: "syt_guest" }
 *   guests: ["@guest1:example.org"]
 * }</pre>
 *
 * <p>Immutable and thread-safe. A bad value throws {@link InvalidSettingException} naming the key; no
 * message shows a token. A token that is the mask {@code check-config} prints ({@code ****}) is refused.
 *
 * @param tokens the short form: access token to Matrix user id (default none)
 * @param users the long form: users and their tokens (default none); with {@code tokens}, at least one token
 * @param guests user ids (among the users that have a token) that are guests (default none)
 */
public record StaticTokensConfig(Map<String, String> tokens, List<UserToken> users, List<String> guests) {

    /** The short form only: access token to user id, and the guests among them. */
    public static StaticTokensConfig shortForm(Map<String, String> tokens, List<String> guests) {
        return new StaticTokensConfig(tokens, null, guests);
    }

    public StaticTokensConfig {
        tokens = tokens == null ? Map.of() : tokens;
        users = users == null ? List.of() : List.copyOf(users);
        if (tokens.isEmpty() && users.isEmpty()) {
            throw new InvalidSettingException("users", "needs at least one token, like "
                    + "[{user: \"@alice:example.org\", token: \"${ALICE_TOKEN}\"}]");
        }
        int i = 0;
        for (Map.Entry<String, String> entry : tokens.entrySet()) {
            if (entry.getKey() == null || entry.getKey().isEmpty()) {
                throw new InvalidSettingException("tokens", "entry " + i + " has an empty token");
            }
            if (entry.getKey().startsWith(Secret.MASK)) {
                throw new InvalidSettingException("tokens", "entry " + i + " is the mask check-config prints in place "
                        + "of a token; put the real token back");
            }
            requireUserId("tokens", "the user of entry " + i, entry.getValue());
            i++;
        }
        tokens = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tokens));
        Set<String> seen = new java.util.HashSet<>(tokens.keySet());
        for (int u = 0; u < users.size(); u++) {
            requireUserId("users[" + u + "].user", "'" + users.get(u).user() + "'", users.get(u).user());
            if (!seen.add(users.get(u).token().reveal())) {
                throw new InvalidSettingException("users[" + u + "].token", "is given twice; each token belongs to "
                        + "one user");
            }
        }
        guests = guests == null ? List.of() : List.copyOf(guests);
        Set<String> withToken = byToken(tokens, users).values().stream().collect(java.util.stream.Collectors.toSet());
        for (int g = 0; g < guests.size(); g++) {
            requireUserId("guests[" + g + "]", "'" + guests.get(g) + "'", guests.get(g));
            if (!withToken.contains(guests.get(g))) {
                throw new InvalidSettingException("guests[" + g + "]", "'" + guests.get(g)
                        + "' has no token; list only users that have one");
            }
        }
    }

    /** Every access token, of both forms, to its user. */
    public Map<String, String> byToken() {
        return byToken(tokens, users);
    }

    private static Map<String, String> byToken(Map<String, String> tokens, List<UserToken> users) {
        Map<String, String> all = new LinkedHashMap<>(tokens);
        users.forEach(entry -> all.put(entry.token().reveal(), entry.user()));
        return all;
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
