/**
 * Stateless TURN nonces (RFC 8489 section 9.2): issued time plus an HMAC, so no table of nonces is kept.
 */
package dev.tern.relay.nonce;
