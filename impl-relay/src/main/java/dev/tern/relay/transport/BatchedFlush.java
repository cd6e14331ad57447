package dev.tern.relay.transport;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Writes relayed datagrams to a channel and flushes it once per turn of its event loop, after the
 * turn's reads, however many datagrams were written in that turn. The datagrams that many relay
 * sockets receive for one client listener in a turn then leave in one {@code sendmmsg} (epoll) instead
 * of one {@code sendmsg} each, and a TCP/TLS client's in one write. (ChannelData from clients to the relay
 * sockets does not come through here: {@link ClientDataHandler} flushes the relay sockets a read wrote to
 * when that read completes, without a task per datagram; Send indications do.)
 *
 * <p>One per channel, kept as an attribute of the channel and {@linkplain #install installed} when the
 * channel is set up, so the forwarding path never meets a channel without one (a branch first taken
 * while media flows would make the JIT throw away and recompile the forwarding code, on the event loop's
 * core). Writes on the channel's event loop are batched; a write from another thread, or to a channel
 * without one, is flushed at once.
 */
public final class BatchedFlush implements Runnable {

    private static final AttributeKey<BatchedFlush> KEY = AttributeKey.valueOf(BatchedFlush.class, "batched-flush");

    private final Channel channel;
    private boolean scheduled;

    private BatchedFlush(Channel channel) {
        this.channel = channel;
    }

    /** Gives {@code channel} its batched flush; call once, while setting the channel up. */
    public static void install(Channel channel) {
        channel.attr(KEY).setIfAbsent(new BatchedFlush(channel));
    }

    /**
     * Writes {@code msg} to {@code channel} (taking over its reference) and makes sure the channel is
     * flushed before its event loop waits for I/O again. Failures go to the channel's pipeline, as with
     * a void promise.
     */
    public static void write(Channel channel, Object msg) {
        BatchedFlush flush = channel.attr(KEY).get();
        if (flush == null || !channel.eventLoop().inEventLoop()) {
            channel.writeAndFlush(msg, channel.voidPromise());
            return;
        }
        channel.write(msg, channel.voidPromise());
        if (!flush.scheduled) {
            flush.scheduled = true;
            // A task queued from the loop itself runs after the I/O of the current turn.
            channel.eventLoop().execute(flush);
        }
    }

    @Override
    public void run() {
        scheduled = false;
        channel.flush();
    }
}
