/**
 * Who an access token belongs to: the {@link dev.tern.spi.AccessTokenVerifier} SPI, its
 * {@link dev.tern.spi.AccessTokenVerifierProvider} factories found with {@link java.util.ServiceLoader}
 * ({@code static} in {@code .fixed}, {@code whoami} in {@code .whoami}), and
 * {@link dev.tern.spi.AccessTokenVerifier#fromLookup} for a homeserver's own session store.
 */
package dev.tern.matrix.auth;
