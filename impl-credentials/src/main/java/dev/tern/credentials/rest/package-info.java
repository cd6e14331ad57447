/**
 * The {@code rest} credential type: TURN REST API credentials as Synapse and coturn make them (HMAC-SHA1 of a
 * timed username with a shared secret), the issuer for {@code /voip/turnServer}, the relay's verifier, and the
 * secret ring with its reloaded secret files.
 */
package dev.tern.credentials.rest;
