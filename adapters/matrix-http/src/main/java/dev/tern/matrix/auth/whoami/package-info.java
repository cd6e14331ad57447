/**
 * The {@code whoami} access-token verifier: asks the homeserver's {@code /account/whoami} who a token belongs to,
 * for sidecar mode, caching answers for a short time.
 */
package dev.tern.matrix.auth.whoami;
