/**
 * The {@code static} credential type: fixed usernames and passwords handed to every client, as Synapse's
 * {@code turn_username} and {@code turn_password}, with the relay's verifier for them.
 */
package dev.tern.credentials.fixed;
