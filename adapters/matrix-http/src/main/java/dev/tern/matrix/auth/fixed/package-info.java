/**
 * The {@code static} access-token verifier: a fixed token-to-user map for development, demos and tests, keeping
 * only SHA-256 digests of the tokens.
 */
package dev.tern.matrix.auth.fixed;
