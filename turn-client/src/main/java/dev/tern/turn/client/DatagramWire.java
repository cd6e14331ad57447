package dev.tern.turn.client;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.DatagramChannel;
import java.util.Optional;

/**
 * UDP as a {@link TurnWire}: one datagram is one message, sent to the server's address. Either a socket of
 * its own (unconnected, so a relay answering from its listening address is always heard) or a caller's
 * connected {@link DatagramChannel} (a load generator takes it over for data later). Not thread-safe.
 */
final class DatagramWire implements TurnWire {

    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private final Optional<DatagramChannel> channel;

    private DatagramWire(DatagramSocket socket, InetSocketAddress server, Optional<DatagramChannel> channel) {
        this.socket = socket;
        this.server = server;
        this.channel = channel;
    }

    /** A new socket on the wildcard address and an ephemeral port, talking to {@code server}. */
    static DatagramWire open(InetSocketAddress server) throws IOException {
        return new DatagramWire(new DatagramSocket(0), server, Optional.empty());
    }

    /** The caller's channel, connected to the server and in blocking mode. */
    static DatagramWire over(DatagramChannel connected) throws IOException {
        InetSocketAddress server = (InetSocketAddress) connected.getRemoteAddress();
        if (server == null) {
            throw new IllegalArgumentException("the datagram channel is not connected to a TURN server");
        }
        return new DatagramWire(connected.socket(), server, Optional.of(connected));
    }

    /** The caller's channel, if the wire was made over one. */
    Optional<DatagramChannel> channel() {
        return channel;
    }

    @Override
    public void send(byte[] message, int length) throws IOException {
        socket.send(new DatagramPacket(message, length, server));
    }

    @Override
    public int receive(byte[] buffer, int timeoutMillis) throws IOException {
        socket.setSoTimeout(Math.max(1, timeoutMillis));
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
            return packet.getLength();
        } catch (SocketTimeoutException e) {
            return -1;
        }
    }

    @Override
    public boolean retransmits() {
        return true;
    }

    @Override
    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public String remote() {
        return String.valueOf(server);
    }

    @Override
    public void close() throws IOException {
        if (channel.isPresent()) {
            channel.get().close();
        } else {
            socket.close();
        }
    }
}
