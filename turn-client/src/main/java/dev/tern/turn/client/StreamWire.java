package dev.tern.turn.client;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A TCP or TLS connection as a {@link TurnWire}. Messages are framed as RFC 6062 and RFC 8656 section 12.5
 * say: a STUN message is 20 bytes plus its length field; ChannelData is 4 bytes plus its length, padded to
 * a multiple of 4 over streams. A read timeout in the middle of a message fails the wire (its framing is
 * lost), one before a message starts is just "nothing yet". Not thread-safe.
 */
final class StreamWire implements TurnWire {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private boolean trickle;

    StreamWire(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** The connection. */
    Socket socket() {
        return socket;
    }

    /** From now on writes one byte at a time, flushed, with a short pause after each (a hostile slow client). */
    void trickle() {
        trickle = true;
    }

    @Override
    public void send(byte[] message, int length) throws IOException {
        int pad = (message[0] & 0xC0) == 0x40 ? (4 - (length & 3)) & 3 : 0;
        byte[] framed = java.util.Arrays.copyOf(message, length + pad);
        if (!trickle) {
            out.write(framed);
            out.flush();
            return;
        }
        for (byte b : framed) {
            out.write(b);
            out.flush();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while trickling");
            }
        }
    }

    @Override
    public int receive(byte[] buffer, int timeoutMillis) throws IOException {
        socket.setSoTimeout(Math.max(1, timeoutMillis));
        int first;
        try {
            first = in.read();
        } catch (SocketTimeoutException e) {
            return -1;
        }
        if (first < 0) {
            throw new EOFException("the server closed the connection");
        }
        buffer[0] = (byte) first;
        in.readFully(buffer, 1, 3);
        int length = ((buffer[2] & 0xFF) << 8) | (buffer[3] & 0xFF);
        boolean channelData = (first & 0xC0) == 0x40;
        int total = channelData ? 4 + length : 20 + length;
        int padded = channelData ? (total + 3) & ~3 : total;
        if (padded > buffer.length) {
            throw new IOException("a " + padded + "-byte message does not fit the " + buffer.length + "-byte buffer");
        }
        in.readFully(buffer, 4, padded - 4);
        return total;
    }

    @Override
    public boolean retransmits() {
        return false;
    }

    @Override
    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public String remote() {
        return String.valueOf(socket.getRemoteSocketAddress());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
