/**
 * The project's one TURN client: blocking, over UDP, TCP or TLS, for {@code tern probe}, the benchmarks and the
 * tests ({@link dev.tern.turn.client.TurnClient}), with the responses it returns and how it signs requests.
 * Built on the shared codec {@code dev.tern.stun}; it never depends on the relay.
 */
package dev.tern.turn.client;
