package dev.tern.bench.client;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.nio.channels.DatagramChannel;

/** A connected UDP channel as a {@link TurnWire}: one datagram is one message. Not thread-safe. */
final class DatagramWire implements TurnWire {

    private final DatagramChannel channel;
    private final DatagramSocket socket;

    DatagramWire(DatagramChannel channel) {
        this.channel = channel;
        this.socket = channel.socket();
    }

    DatagramChannel channel() {
        return channel;
    }

    @Override
    public void send(byte[] message, int length) throws IOException {
        socket.send(new DatagramPacket(message, length));
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
    public String remote() {
        try {
            return String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            return "(closed)";
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
