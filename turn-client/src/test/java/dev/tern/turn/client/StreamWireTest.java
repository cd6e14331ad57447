package dev.tern.turn.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The RFC 6062 framing over a real loopback TCP connection. */
class StreamWireTest {

    @Test
    void padsChannelDataItSendsAndReadsBackToBackMessagesOfEitherKind() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket()) {
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            try (Socket peer = server.accept(); StreamWire wire = new StreamWire(client)) {
                byte[] channelData = {0x40, 0x00, 0x00, 0x05, 1, 2, 3, 4, 5};
                wire.send(channelData, channelData.length);
                byte[] sent = new byte[12];
                new DataInputStream(peer.getInputStream()).readFully(sent);
                assertArrayEquals(Arrays.copyOf(channelData, 12), sent, "padded to a multiple of 4 over a stream");

                byte[] stun = new byte[24];
                stun[1] = 0x01;
                stun[3] = 4;
                OutputStream out = peer.getOutputStream();
                out.write(new byte[] {0x40, 0x01, 0x00, 0x03, 7, 8, 9, 0});
                out.write(stun);
                out.flush();
                byte[] buffer = new byte[64];
                assertEquals(7, wire.receive(buffer, 2000), "ChannelData: header and length, padding consumed");
                assertArrayEquals(new byte[] {7, 8, 9}, Arrays.copyOfRange(buffer, 4, 7));
                assertEquals(24, wire.receive(buffer, 2000), "STUN: 20 bytes and the length field");
                assertEquals(-1, wire.receive(buffer, 50), "nothing more yet");
                peer.close();
                assertThrows(EOFException.class, () -> wire.receive(buffer, 2000));
            }
        }
    }
}
