/**
 * Everything a plugin sees, and nothing else: the provider factories found with {@link java.util.ServiceLoader}
 * ({@link dev.tern.spi.CredentialIssuerProvider}, {@link dev.tern.spi.PolicySourceProvider},
 * {@link dev.tern.spi.RelayServerProvider}, {@link dev.tern.spi.AccessTokenVerifierProvider},
 * {@link dev.tern.spi.FleetProvider}), the services they make ({@link dev.tern.spi.CredentialIssuer},
 * {@link dev.tern.spi.PolicySource} with its {@link dev.tern.spi.GroupDirectory}, {@link dev.tern.spi.RelayServer},
 * {@link dev.tern.spi.AccessTokenVerifier}, {@link dev.tern.spi.Fleet}), the host's shared services
 * ({@link dev.tern.spi.ProviderContext}, {@link dev.tern.spi.RelayContext}) and the value types they speak
 * ({@link dev.tern.spi.Subject}, {@link dev.tern.spi.TurnPolicy}, {@link dev.tern.spi.PolicyDecision},
 * {@link dev.tern.spi.TurnCredentials}, ...).
 *
 * <p>Depends on the JDK alone and on no other Tern package (the architecture test keeps it so): a plugin compiles
 * against {@code tern-api} and never fights the host over versions. The host's facade, {@code dev.tern.api.Tern},
 * is built on top of this package.
 */
package dev.tern.spi;
