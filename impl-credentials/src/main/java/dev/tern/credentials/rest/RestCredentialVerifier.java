package dev.tern.credentials.rest;

import dev.tern.spi.Secret;
import dev.tern.credentials.LongTermKeys;
import dev.tern.credentials.VerificationMetrics;
import dev.tern.spi.CredentialVerifier;
import dev.tern.spi.LongTermKey;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.Verification;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay side of TURN REST API credentials: takes the username apart (every form coturn accepts),
 * refuses it if it expired more than {@code clock_skew} ago, and returns one candidate long-term key per
 * configured secret, the signing secret first, since only MESSAGE-INTEGRITY tells which secret the
 * client's password came from. Credentials the issuer in this process gave to a Matrix guest are
 * reported as a guest's ({@link Verification.Accepted#guest()}).
 *
 * <p>Thread-safe and allocation-light; no I/O. Never throws: null, empty, huge, control-character or
 * broken-surrogate usernames give {@link Verification.Malformed}, and even an unexpected failure inside
 * gives {@code Malformed} (logged without the username's secret parts, which it has none of).
 * The expiry is compared as coturn compares it: a username is current while its timestamp is at or after
 * the current unix second, plus the skew allowance. Unlike coturn, a username is also refused when it expires
 * further ahead than {@code max_validity} (plus the skew allowance): such a username was not made by an
 * issuer of this configuration, and would otherwise stay valid for ever ({@code 253402300799:@alice}, the
 * year 9999). It is {@link Verification.Malformed} for the relay (401) and counted as
 * {@code beyond_max_validity}.
 */
public final class RestCredentialVerifier implements CredentialVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(RestCredentialVerifier.class);
    /** The one refusal counted apart from the other malformed usernames (compared by identity). */
    private static final Verification.Malformed BEYOND_MAX_VALIDITY = new Verification.Malformed(
            "expires further ahead than max_validity allows");

    private final SecretRing secrets;
    private final char separator;
    private final long skewMillis;
    private final long maxValidityMillis;
    private final Clock clock;
    private final VerificationMetrics metrics;
    private final IssuedGuests guests;

    RestCredentialVerifier(SecretRing secrets, UsernameRules rules, Clock clock, MetricsRecorder metrics,
            IssuedGuests guests) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.separator = rules.separator();
        this.skewMillis = rules.clockSkew().toMillis();
        this.maxValidityMillis = rules.maxValidity().toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = new VerificationMetrics("rest", metrics);
        this.guests = Objects.requireNonNull(guests, "guests");
    }

    /**
     * A verifier for these secrets (the first is the current one) with the default separator {@code :},
     * clock skew allowance of 30 s and maximum validity of 7 days: for relays and tests that verify without
     * issuing.
     *
     * @throws dev.tern.spi.InvalidSettingException if there is no secret or one is shorter than 16 bytes
     */
    public static RestCredentialVerifier of(List<Secret> secrets, Clock clock) {
        RestCredentialsConfig config = RestCredentialsConfig.of(secrets, List.of());
        return new RestCredentialVerifier(new SecretRing(config.secrets(), List.of(), false), UsernameRules.of(config),
                clock, MetricsRecorder.NONE, new IssuedGuests(config.clockSkew(), clock));
    }

    @Override
    public Verification verify(String username, String realm) {
        Verification result;
        try {
            result = check(username, realm);
        } catch (RuntimeException e) {
            LOG.warn("Unexpected failure verifying a TURN username; refusing it", e);
            result = new Verification.Malformed("could not be checked");
        }
        if (result == BEYOND_MAX_VALIDITY) {
            metrics.recordBeyondMaxValidity();
        } else {
            metrics.record(result);
        }
        return result;
    }

    private Verification check(String username, String realm) {
        if (realm == null) {
            return new Verification.Malformed("no realm");
        }
        RestUsername parsed = RestUsername.parse(username, separator);
        if (parsed instanceof RestUsername.Invalid invalid) {
            return new Verification.Malformed(invalid.reason());
        }
        RestUsername.Timed timed = (RestUsername.Timed) parsed;
        // Current while floor(now) <= expiry, as coturn has it, stretched by the skew allowance.
        if ((timed.expiry() + 1) * 1000 + skewMillis <= clock.millis()) {
            return new Verification.Expired(Instant.ofEpochSecond(timed.expiry()));
        }
        if (timed.expiry() * 1000 > clock.millis() + maxValidityMillis + skewMillis) {
            return BEYOND_MAX_VALIDITY;
        }
        List<Secret> candidates = secrets.current().secrets();
        List<LongTermKey> keys = new ArrayList<>(candidates.size());
        for (Secret secret : candidates) {
            keys.add(LongTermKeys.derive(username, realm, TurnRestPassword.of(secret, username)));
        }
        return new Verification.Accepted(username, timed.user(), Optional.of(Instant.ofEpochSecond(timed.expiry())),
                keys, guests.contains(username));
    }
}
