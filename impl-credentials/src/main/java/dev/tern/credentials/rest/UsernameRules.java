package dev.tern.credentials.rest;

import java.time.Duration;

/**
 * How {@link RestCredentialVerifier} reads a TURN REST username and which expiry it accepts: the character between
 * the timestamp and the user id, how long after its expiry a username still passes (clock skew between issuer and
 * relay), and how far ahead an expiry may lie before the username is refused as not made by this configuration.
 *
 * @param separator {@code separator}, {@code :} by default
 * @param clockSkew {@code clock_skew}
 * @param maxValidity {@code max_validity}
 */
record UsernameRules(char separator, Duration clockSkew, Duration maxValidity) {

    /** The rules the settings name. */
    static UsernameRules of(RestCredentialsConfig config) {
        return new UsernameRules(config.separatorChar(), config.clockSkew(), config.maxValidity());
    }
}
