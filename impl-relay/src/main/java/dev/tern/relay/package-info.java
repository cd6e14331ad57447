/**
 * The Netty TURN relay ({@code relay: {type: netty}}): its provider, server, {@code relay:} config and listen
 * endpoints. The subpackages hold the codec, the request path ({@code .server}), allocations, transports and the
 * data planes.
 */
package dev.tern.relay;
