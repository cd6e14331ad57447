/**
 * The TLS context of the relay's {@code tls://} listeners, reloaded when the certificate or key file changes.
 */
package dev.tern.relay.tls;
