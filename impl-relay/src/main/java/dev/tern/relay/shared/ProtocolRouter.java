package dev.tern.relay.shared;

import dev.tern.guard.ClientLogThrottle;
import dev.tern.guard.SourceAddress;
import dev.tern.relay.tls.ReloadingSslContext;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a connection on a shared port to TURN or to HTTP, once, and then leaves the pipeline: by the ALPN
 * protocol its TLS handshake agreed on ({@code stun.turn}: TURN; {@code h2}, {@code http/1.1}: HTTP), and when
 * there is none (browsers' TURN clients offer none) by its first bytes ({@link FirstBytes}). It sits after TLS,
 * so it sees the first decrypted bytes; what it buffered is handed on to the handlers the chosen side added.
 * Garbage closes the connection (a throttled debug line); a client that sends too little is closed by the
 * deadline after this handler.
 *
 * <p>Not sharable: one per connection.
 */
public final class ProtocolRouter extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolRouter.class);

    /** Where a connection goes. Called on its event loop; each adds its handlers at the end of the pipeline. */
    public interface Routes {
        /** The connection carries TURN. */
        void turn(Channel connection);

        /** The connection carries HTTP of this version. */
        void http(Channel connection, HttpProtocol protocol);
    }

    private final Routes routes;
    private final ClientLogThrottle log;

    public ProtocolRouter(Routes routes, ClientLogThrottle log) {
        this.routes = routes;
        this.log = log;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        FirstBytes.Verdict verdict = byAlpn(ctx);
        if (verdict == null) {
            verdict = FirstBytes.classify(in);
        }
        switch (verdict) {
            case MORE -> {
                return;
            }
            case GARBAGE -> {
                if (LOG.isDebugEnabled()) {
                    log.admit("shared-garbage", String.valueOf(SourceAddress.of(ctx.channel()))).ifPresent(line ->
                            LOG.debug("closing {}: neither TURN nor HTTP after the handshake ({} since the last such "
                                    + "line)", line.key(), line.count()));
                }
                in.skipBytes(in.readableBytes());
                ctx.close();
                return;
            }
            case TURN -> routes.turn(ctx.channel());
            case HTTP_1_1 -> routes.http(ctx.channel(), HttpProtocol.HTTP_1_1);
            case HTTP_2 -> routes.http(ctx.channel(), HttpProtocol.HTTP_2);
            default -> throw new IllegalStateException(verdict.toString());
        }
        if (ctx.channel().isOpen()) {
            ctx.pipeline().remove(this); // hands on what was buffered
        } else {
            in.skipBytes(in.readableBytes());
        }
    }

    /** The verdict ALPN gives, or {@code null} when the connection has no TLS or agreed on no protocol. */
    private static FirstBytes.Verdict byAlpn(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        String protocol = tls == null ? null : tls.applicationProtocol();
        if (protocol == null) {
            return null;
        }
        return switch (protocol) {
            case ReloadingSslContext.ALPN_TURN -> FirstBytes.Verdict.TURN;
            case ApplicationProtocolNames.HTTP_2 -> FirstBytes.Verdict.HTTP_2;
            case ApplicationProtocolNames.HTTP_1_1 -> FirstBytes.Verdict.HTTP_1_1;
            default -> null;
        };
    }
}
