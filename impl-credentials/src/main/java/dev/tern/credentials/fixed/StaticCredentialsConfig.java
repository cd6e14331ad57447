package dev.tern.credentials.fixed;

import dev.tern.spi.Secret;
import dev.tern.credentials.UriList;
import dev.tern.spi.InvalidSettingException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code credentials: {type: static}} section: one fixed username and password handed to every client,
 * as Synapse's {@code turn_username}/{@code turn_password}, plus the fixed users a relay accepts, as coturn's
 * {@code user=} lines.
 *
 * <pre>{@code
 * credentials:
 *   type: static
 *   username: matrix
 *   password_file: /etc/tern/turn.password
 *   uris: ["turn:turn.example.org:3478?transport=udp"]
 *   users:
 *     - { username: relay-bot, password: "${BOT_TURN_PASSWORD}" }
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@code username} and {@code password} are required; a user name given twice
 * is an error naming the second entry; no message shows a password.
 *
 * @param username the username clients get (Synapse {@code turn_username})
 * @param password the password clients get (Synapse {@code turn_password})
 * @param uris the {@code turn:}/{@code turns:} URIs clients get (default none)
 * @param lifetime the {@code ttl} clients are told, as Synapse's {@code turn_user_lifetime} (default 1h)
 * @param users further fixed users the verifier accepts (default none)
 */
public record StaticCredentialsConfig(String username, Secret password, List<String> uris, Duration lifetime,
        List<StaticUser> users) {

    public StaticCredentialsConfig {
        StaticUser.requireUsername("username", username);
        if (password == null || password.reveal().isEmpty()) {
            throw new InvalidSettingException("password", "is missing; expected the TURN password that goes with "
                    + "username (Synapse's turn_password)");
        }
        users = users == null ? List.of() : users;
        Set<String> seen = new HashSet<>();
        seen.add(username);
        for (int i = 0; i < users.size(); i++) {
            if (users.get(i) == null) {
                throw new InvalidSettingException("users[" + i + "]", "is empty; expected {username: ..., password: ...}");
            }
            if (!seen.add(users.get(i).username())) {
                throw new InvalidSettingException("users[" + i + "].username", "'" + users.get(i).username()
                        + "' is given twice; each TURN username needs exactly one password");
            }
        }
        users = List.copyOf(users);
        uris = UriList.validate(uris);
        lifetime = lifetime == null ? Duration.ofHours(1) : lifetime;
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new InvalidSettingException("lifetime", "must be at least 1s, like 1h");
        }
    }
}
