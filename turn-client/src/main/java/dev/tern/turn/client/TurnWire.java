package dev.tern.turn.client;

import java.io.IOException;

/**
 * How a {@link TurnClient} reaches its server: datagrams ({@link DatagramWire}) or a TCP or TLS stream
 * ({@link StreamWire}, RFC 6062 framing: a STUN message or ChannelData padded to 4 bytes, back to back).
 * Not thread-safe: one client owns one wire.
 */
interface TurnWire extends AutoCloseable {

    /** Sends one whole message (a STUN message or a ChannelData message). */
    void send(byte[] message, int length) throws IOException;

    /**
     * Receives the next whole message into {@code buffer}.
     *
     * @return its length, or -1 when none arrived within {@code timeoutMillis}
     */
    int receive(byte[] buffer, int timeoutMillis) throws IOException;

    /** Whether a lost request must be sent again (datagrams) or the stream delivers it (TCP, TLS). */
    boolean retransmits();

    /** The local port of the client's socket. */
    int localPort();

    /** The server, for messages. */
    String remote();

    @Override
    void close() throws IOException;
}
