package dev.tern.relay.stream;

import dev.tern.guard.ClientLogThrottle;
import dev.tern.guard.SourceAddress;
import dev.tern.stun.ChannelData;
import dev.tern.stun.StunMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.InetSocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a TURN byte stream (RFC 8656 section 6.2: TCP or TLS) into messages: a STUN message by the
 * length in its header (20 + length bytes), a ChannelData message by its length padded to 4 bytes.
 * Many messages in one read and messages split across reads are both fine. Each message goes on as a
 * {@link DatagramPacket} from the connection's client address ({@link SourceAddress}: the TCP peer, or the
 * client a trusted proxy named in its PROXY protocol header), so the UDP handlers serve streams unchanged (the
 * padding after ChannelData is dropped here).
 *
 * <p>Not sharable: one per connection. What cannot be a message (first byte 0x80 or more, a STUN
 * header without the magic cookie or with a length not a multiple of 4) or a message longer than
 * {@code maxMessageSize} closes the connection, so a connection never buffers more than that.
 */
public final class StreamFrameDecoder extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(StreamFrameDecoder.class);

    private final int maxMessageSize;
    private final ClientLogThrottle log;
    private InetSocketAddress local;
    private InetSocketAddress client;

    /**
     * @param maxMessageSize the longest message accepted, padding included
     * @param log throttles the line for a connection closed for garbage
     */
    public StreamFrameDecoder(int maxMessageSize, ClientLogThrottle log) {
        this.log = log;
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (client == null) {
            // Read once: a PROXY protocol header, when there is one, was read before any TURN byte.
            local = (InetSocketAddress) ctx.channel().localAddress();
            client = SourceAddress.of(ctx.channel());
        }
        while (in.readableBytes() >= ChannelData.HEADER_LENGTH) {
            int start = in.readerIndex();
            int first = in.getUnsignedByte(start);
            int length;
            int frame;
            if (first < 0x40) {
                if (in.readableBytes() >= 8 && in.getInt(start + 4) != StunMessage.MAGIC_COOKIE
                        || (in.getUnsignedShort(start + 2) & 3) != 0) {
                    garbage(ctx, in, "not a STUN header");
                    return;
                }
                length = StunMessage.HEADER_LENGTH + in.getUnsignedShort(start + 2);
                frame = length;
            } else if (first < 0x80) {
                length = ChannelData.HEADER_LENGTH + in.getUnsignedShort(start + 2);
                frame = (length + 3) & ~3;
            } else {
                garbage(ctx, in, "neither STUN nor ChannelData");
                return;
            }
            if (frame > maxMessageSize) {
                garbage(ctx, in, "a message of " + frame + " bytes");
                return;
            }
            if (in.readableBytes() < frame) {
                return;
            }
            ByteBuf message = in.retainedSlice(start, length);
            in.skipBytes(frame);
            out.add(new DatagramPacket(message, local, client));
        }
    }

    private void garbage(ChannelHandlerContext ctx, ByteBuf in, String what) {
        if (LOG.isDebugEnabled()) {
            log.admit("garbage", String.valueOf(SourceAddress.of(ctx.channel()))).ifPresent(line -> LOG.debug(
                    "closing {}: {} ({} since the last such line)", line.key(), what, line.count()));
        }
        in.skipBytes(in.readableBytes());
        ctx.close();
    }
}
