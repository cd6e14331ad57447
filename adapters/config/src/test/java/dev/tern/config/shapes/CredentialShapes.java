package dev.tern.config.shapes;

import dev.tern.spi.Secret;
import dev.tern.spi.Subject;
import dev.tern.spi.TurnCredentials;
import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.CredentialIssuerProvider;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.ProviderContext;
import java.time.Duration;
import java.util.List;

/**
 * Test stand-ins for the {@code rest} and {@code static} issuers, with config records shaped like issue
 * #2's example (the real ones live in tern-credentials, written in parallel).
 */
public final class CredentialShapes {

    private CredentialShapes() {
    }

    public record RestConfig(List<Secret> secrets, Duration lifetime, List<String> uris, Boolean allowWeakSecret,
            Duration clockSkew) {
        public RestConfig {
            if (secrets == null || secrets.isEmpty()) {
                throw new InvalidSettingException("secrets", "at least one secret is required (the first signs)");
            }
            allowWeakSecret = allowWeakSecret != null && allowWeakSecret;
            for (int i = 0; i < secrets.size(); i++) {
                if (!allowWeakSecret && secrets.get(i).byteLength() < 16) {
                    throw new InvalidSettingException("secrets[" + i + "]",
                            "is shorter than 16 bytes; use a longer secret or set allow_weak_secret: true");
                }
            }
            secrets = List.copyOf(secrets);
            lifetime = lifetime == null ? Duration.ofHours(1) : lifetime;
            clockSkew = clockSkew == null ? Duration.ofSeconds(30) : clockSkew;
            uris = uris == null ? List.of() : List.copyOf(uris);
            for (int i = 0; i < uris.size(); i++) {
                if (!uris.get(i).startsWith("turn:") && !uris.get(i).startsWith("turns:")) {
                    throw new InvalidSettingException("uris[" + i + "]", "expected a turn: or turns: URI");
                }
            }
        }
    }

    public static final class RestProvider implements CredentialIssuerProvider<RestConfig> {
        @Override
        public String type() {
            return "rest";
        }

        @Override
        public Class<RestConfig> configType() {
            return RestConfig.class;
        }

        @Override
        public CredentialIssuer create(RestConfig config, ProviderContext context) {
            return (subject, cap) -> new TurnCredentials("0:" + subject.userId(), "pw", config.uris(),
                    config.lifetime());
        }
    }

    public record StaticUser(String username, Secret password) {
        public StaticUser {
            if (username == null || username.isBlank()) {
                throw new InvalidSettingException("username", "required");
            }
        }
    }

    public record StaticConfig(List<StaticUser> users, List<String> uris) {
    }

    public static final class StaticProvider implements CredentialIssuerProvider<StaticConfig> {
        @Override
        public String type() {
            return "static";
        }

        @Override
        public Class<StaticConfig> configType() {
            return StaticConfig.class;
        }

        @Override
        public CredentialIssuer create(StaticConfig config, ProviderContext context) {
            StaticUser user = config.users().get(0);
            return (Subject subject, Duration cap) -> new TurnCredentials(user.username(),
                    user.password().reveal(), config.uris(), Duration.ofDays(1));
        }
    }
}
