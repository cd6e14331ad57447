/**
 * One port for TURN and HTTP ({@code tls+https://}, {@code tcp+http://}): TLS terminated once with the relay's
 * certificate, then each connection goes to TURN or to the host's HTTP side by ALPN or by its first bytes
 * ({@link dev.tern.relay.shared.ProtocolRouter}); {@link dev.tern.relay.shared.TurnClaim} does the same inside a
 * homeserver's own Netty HTTPS pipeline; {@link dev.tern.relay.shared.ProxyProtocolGate} reads the PROXY protocol
 * header of trusted proxies on every stream listener.
 */
package dev.tern.relay.shared;
