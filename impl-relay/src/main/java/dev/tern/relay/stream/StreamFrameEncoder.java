package dev.tern.relay.stream;

import dev.tern.stun.ChannelData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * The way back of {@link StreamFrameDecoder}: the UDP handlers answer with {@link DatagramPacket}s
 * addressed to the connection's peer; on a stream only their bytes go out, and ChannelData is padded
 * to a multiple of 4 bytes (RFC 8656 section 12.5). STUN messages are always a multiple of 4 already.
 *
 * <p>Sharable and stateless. The packet's buffer is passed on, never copied.
 */
@ChannelHandler.Sharable
public final class StreamFrameEncoder extends MessageToMessageEncoder<DatagramPacket> {

    /** The one instance. */
    public static final StreamFrameEncoder INSTANCE = new StreamFrameEncoder();

    private static final ByteBuf PADDING = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(3).writeZero(3).asReadOnly());

    private StreamFrameEncoder() {
        super(DatagramPacket.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
        ByteBuf content = packet.content();
        int pad = (4 - (content.readableBytes() & 3)) & 3;
        out.add(content.retain());
        if (pad != 0 && ChannelData.looksLikeChannelData(content)) {
            out.add(PADDING.duplicate().setIndex(0, pad));
        }
    }
}
