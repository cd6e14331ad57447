/**
 * The host's facade: {@link dev.tern.api.Tern} composes a credential issuer, a policy evaluator, an optional
 * relay and its fleet from {@code dev.tern.spi} and answers a homeserver's questions
 * ({@link dev.tern.api.CredentialsOutcome}). Depends on {@code dev.tern.spi} and the JDK; nothing in the SPI depends
 * on it.
 */
package dev.tern.api;
