package dev.tern.relay.shared;

import io.netty.channel.Channel;

/**
 * The HTTP side of a port shared with TURN, given by the host (the launcher serves the Matrix endpoints and the
 * admin page through it): takes over a connection whose ALPN or first bytes said HTTP.
 *
 * <p>{@link #adopt} is called on the connection's event loop, after TLS and before any HTTP byte was handed on:
 * it adds its handlers (codec, deadlines, application) at the end of the pipeline, and must not block. The bytes
 * already read follow as soon as it returns. The connection is already counted by the relay's caps and has the
 * relay's idle timeout in a handler named {@code "idle"}, which the HTTP side may replace with its own.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface HttpConnections {

    /** Installs the HTTP pipeline for {@code protocol} on {@code connection}. */
    void adopt(Channel connection, HttpProtocol protocol);
}
