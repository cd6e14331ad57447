package dev.tern.credentials.fixed;

import dev.tern.spi.Secret;
import dev.tern.credentials.LongTermKeys;
import dev.tern.credentials.VerificationMetrics;
import dev.tern.spi.CredentialVerifier;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.Verification;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The relay side of fixed users: a known username gets its long-term key, anything else
 * {@link Verification.Unknown} (or {@link Verification.Malformed} for null or oversized input).
 *
 * <p>Immutable and thread-safe; never throws. Usernames are looked up, not compared, since they are not
 * secret; the password is only ever used to derive the key.
 */
public final class StaticCredentialVerifier implements CredentialVerifier {

    private final Map<String, Secret> passwords;
    private final VerificationMetrics metrics;

    StaticCredentialVerifier(Map<String, Secret> passwords, MetricsRecorder metrics) {
        this.passwords = Map.copyOf(passwords);
        this.metrics = new VerificationMetrics("static", metrics);
    }

    @Override
    public Verification verify(String username, String realm) {
        Verification result;
        if (username == null || realm == null) {
            result = new Verification.Malformed("no username or realm");
        } else if (username.length() > 513) {
            result = new Verification.Malformed("username longer than 513 bytes");
        } else {
            Secret password = passwords.get(username);
            result = password == null ? new Verification.Unknown()
                    : new Verification.Accepted(username, username, Optional.empty(),
                            List.of(LongTermKeys.derive(username, realm, password.reveal())), false);
        }
        metrics.record(result);
        return result;
    }
}
