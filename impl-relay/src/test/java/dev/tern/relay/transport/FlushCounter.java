package dev.tern.relay.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import java.net.DatagramSocket;
import java.util.ArrayList;
import java.util.List;

/** Counts the flushes that reach a socket, as the handler at its pipeline's head; used on its event loop only. */
final class FlushCounter extends ChannelOutboundHandlerAdapter {

    int flushes;

    @Override
    public void flush(ChannelHandlerContext ctx) {
        flushes++;
        ctx.flush();
    }

    /** The first byte of each of the next {@code count} datagrams {@code receiver} receives, in their order. */
    static List<Integer> firstBytes(DatagramSocket receiver, int count) throws Exception {
        List<Integer> received = new ArrayList<>();
        java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[16], 16);
        for (int i = 0; i < count; i++) {
            receiver.receive(p);
            received.add((int) p.getData()[0]);
        }
        return received;
    }
}
