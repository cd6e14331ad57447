package dev.tern.relay.stream;

import dev.tern.relay.tls.ReloadingSslContext;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * For {@code tls+tcp://} listeners: looks at the first byte a client sends and puts TLS in front of
 * the TURN handlers when it starts a TLS handshake record (0x16), as coturn does; anything else is
 * plain TURN over TCP (a STUN message starts with 0x00 or 0x01, which 0x16 can never be mistaken for).
 * Then removes itself, handing on what it buffered.
 *
 * <p>Not sharable: one per connection.
 */
public final class TlsSniffer extends ByteToMessageDecoder {

    /** The first byte of a TLS handshake record. */
    public static final int TLS_HANDSHAKE = 0x16;

    private final ReloadingSslContext tls;
    private final Runnable onTls;

    /** @param onTls called on the event loop when the connection turns out to be TLS */
    public TlsSniffer(ReloadingSslContext tls, Runnable onTls) {
        this.tls = tls;
        this.onTls = onTls;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        if (in.getUnsignedByte(in.readerIndex()) == TLS_HANDSHAKE) {
            ctx.pipeline().addAfter(ctx.name(), "tls", tls.newHandler(ctx.alloc()));
            onTls.run();
        }
        ctx.pipeline().remove(this);
    }
}
