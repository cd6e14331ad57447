package dev.tern.relay.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Datagrams written in one turn of the event loop leave with one flush, after the turn; over real
 * loopback sockets of both transports (an embedded channel's loop has no turns).
 */
class BatchedFlushTest {

    private static DatagramPacket datagram(int marker, InetSocketAddress to) {
        return new DatagramPacket(Unpooled.directBuffer(1).writeByte(marker), to);
    }

    @Test
    void flushesOnceAfterTheTurnHoweverManyDatagramsWereWrittenInIt() throws Exception {
        for (EventLoops transport : new EventLoops[] {EventLoops.detect(), EventLoops.nio()}) {
            onSender(transport, (sender, counter, receiver, to) -> {
                int flushesInTurn = sender.eventLoop().submit(() -> {
                    for (int i = 0; i < 8; i++) {
                        BatchedFlush.write(sender, datagram(i, to));
                    }
                    return counter.flushes;
                }).get();
                assertEquals(0, flushesInTurn, transport.name() + ": nothing flushed during the turn");
                assertEquals(1, (int) sender.eventLoop().submit(() -> counter.flushes).get(), transport.name());
                assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7), receive(receiver, 8), transport.name());
            });
        }
    }

    @Test
    void flushesAtOnceWhatIsWrittenFromAnotherThread() throws Exception {
        onSender(EventLoops.detect(), (sender, counter, receiver, to) -> {
            BatchedFlush.write(sender, datagram(9, to));
            assertEquals(Set.of(9), receive(receiver, 1));
        });
    }

    @Test
    void releasesWhatASocketClosedBeforeTheFlushHeld() throws Exception {
        onSender(EventLoops.detect(), (sender, counter, receiver, to) -> {
            DatagramPacket datagram = datagram(1, to);
            sender.eventLoop().submit(() -> {
                BatchedFlush.write(sender, datagram);
                sender.close();
            }).sync();
            sender.closeFuture().sync();
            assertEquals(0, sender.eventLoop().submit(datagram::refCnt).get().intValue());
        });
    }

    @Test
    void flushesAtOnceOnAChannelItWasNotInstalledOn() throws Exception {
        onSender(EventLoops.detect(), (sender, installed, receiver, to) -> {
            FlushCounter counter = new FlushCounter();
            Channel bare = new Bootstrap().group(sender.eventLoop()).channelFactory(
                    EventLoops.detect().datagramChannels(to.getAddress())).handler(counter)
                    .bind(to.getAddress(), 0).sync().channel();
            try {
                int flushesInTurn = bare.eventLoop().submit(() -> {
                    BatchedFlush.write(bare, datagram(5, to));
                    return counter.flushes;
                }).get();
                assertEquals(1, flushesInTurn, "flushed within the turn");
                assertEquals(Set.of(5), receive(receiver, 1));
            } finally {
                bare.close().sync();
            }
        });
    }

    private interface SenderTest {
        void run(Channel sender, FlushCounter counter, DatagramSocket receiver, InetSocketAddress to) throws Exception;
    }

    private static void onSender(EventLoops transport, SenderTest test) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        EventLoopGroup group = transport.newGroup(1);
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            receiver.setSoTimeout(5000);
            FlushCounter counter = new FlushCounter();
            Channel sender = new Bootstrap().group(group).channelFactory(transport.datagramChannels(loopback))
                    .handler(counter).bind(loopback, 0).sync().channel();
            BatchedFlush.install(sender);
            test.run(sender, counter, receiver, (InetSocketAddress) receiver.getLocalSocketAddress());
            sender.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static Set<Integer> receive(DatagramSocket receiver, int count) throws Exception {
        return new HashSet<>(FlushCounter.firstBytes(receiver, count));
    }
}
