package dev.tern.credentials.fixed;

import dev.tern.spi.Secret;
import dev.tern.spi.Subject;
import dev.tern.spi.TurnCredentials;
import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.CredentialVerifier;
import dev.tern.spi.ProviderContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Hands every client the same fixed username and password, as Synapse does with {@code turn_username} and
 * {@code turn_password}; {@code ttl} is the configured lifetime, capped by policy. Its {@link #verifier()}
 * accepts that user and every entry of {@code users}.
 *
 * <p>Immutable and thread-safe; never logs the password.
 */
public final class StaticCredentialIssuer implements CredentialIssuer {

    private final StaticCredentialsConfig config;
    private final StaticCredentialVerifier verifier;

    private StaticCredentialIssuer(StaticCredentialsConfig config, ProviderContext context) {
        this.config = config;
        Map<String, Secret> passwords = new LinkedHashMap<>();
        passwords.put(config.username(), config.password());
        config.users().forEach(user -> passwords.put(user.username(), user.password()));
        this.verifier = new StaticCredentialVerifier(passwords, context.metrics());
    }

    /** The issuer and verifier for this section. */
    public static StaticCredentialIssuer create(StaticCredentialsConfig config, ProviderContext context) {
        return new StaticCredentialIssuer(Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(context, "context"));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code lifetimeCap} is not positive
     */
    @Override
    public TurnCredentials issue(Subject subject, Duration lifetimeCap) {
        Objects.requireNonNull(subject, "subject");
        if (lifetimeCap.isNegative() || lifetimeCap.isZero()) {
            throw new IllegalArgumentException("the lifetime cap must be positive");
        }
        Duration ttl = config.lifetime().compareTo(lifetimeCap) <= 0 ? config.lifetime() : lifetimeCap;
        return new TurnCredentials(config.username(), config.password().reveal(), config.uris(),
                Duration.ofSeconds(ttl.toSeconds()));
    }

    @Override
    public Optional<CredentialVerifier> verifier() {
        return Optional.of(verifier);
    }
}
