/**
 * Long-term credential checks of STUN requests (RFC 8489 section 9.2) against the
 * {@link dev.tern.spi.CredentialVerifier}, and the limiter and throttled log of failed checks.
 */
package dev.tern.relay.auth;
