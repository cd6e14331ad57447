package dev.tern.relay.proxy;

import dev.tern.spi.AddressRange;
import dev.tern.guard.ClientLogThrottle;
import dev.tern.guard.ConnectionLimits;
import dev.tern.guard.SourceAddress;
import dev.tern.spi.MetricsRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.ProtocolDetectionResult;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of a stream connection when proxies are trusted ({@code relay.proxy_protocol}): looks at the
 * first 12 bytes for a PROXY protocol header (version 1 text or version 2 binary, Netty's
 * {@link HAProxyMessageDecoder#detectProtocol}). From a trusted proxy the header is decoded and its source address
 * becomes the connection's {@link SourceAddress}, then the rest flows on (a {@code LOCAL} header, a proxy's health
 * check, keeps the proxy's own address). From anyone else a header is refused: the connection is closed, counted
 * as {@value ConnectionLimits#REFUSED_METRIC} with {@code reason="proxy"} and logged (throttled). A connection
 * without a header goes on untouched, from anyone.
 *
 * <p>Not sharable: one per connection, from {@link Factory#newGate()}.
 */
public final class ProxyProtocolGate extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyProtocolGate.class);

    /**
     * Makes a gate per connection. Thread-safe.
     *
     * @param trusted the proxies that may send a header
     * @param listener the listener kind for the metric's tag, like {@code turn}
     */
    public record Factory(List<AddressRange> trusted, String listener, ClientLogThrottle log,
            MetricsRecorder metrics) {

        public Factory {
            trusted = List.copyOf(trusted);
        }

        /** A gate for a new connection. */
        public ProxyProtocolGate newGate() {
            return new ProxyProtocolGate(this);
        }

        boolean trusts(InetAddress address) {
            for (AddressRange range : trusted) {
                if (range.contains(address)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Factory factory;

    private ProxyProtocolGate(Factory factory) {
        this.factory = factory;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        ProtocolDetectionResult<HAProxyProtocolVersion> detected = HAProxyMessageDecoder.detectProtocol(in);
        switch (detected.state()) {
            case NEEDS_MORE_DATA -> {
                return;
            }
            case INVALID -> ctx.pipeline().remove(this);
            case DETECTED -> {
                InetAddress peer = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
                if (factory.trusts(peer)) {
                    ctx.pipeline().addAfter(ctx.name(), "proxy-header", new HAProxyMessageDecoder());
                    ctx.pipeline().addAfter("proxy-header", "proxy-source", new ProxySource());
                    ctx.pipeline().remove(this);
                } else {
                    refuse(ctx, in, peer);
                }
            }
            default -> throw new IllegalStateException(detected.state().toString());
        }
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, InetAddress peer) {
        factory.metrics().count(ConnectionLimits.REFUSED_METRIC, Map.of("listener", factory.listener(), "reason",
                "proxy"), 1);
        factory.log().admit("proxy-untrusted", peer.getHostAddress()).ifPresent(line -> LOG.warn(
                "{}: refused a connection from {}: a PROXY protocol header from an address not in "
                        + "relay.proxy_protocol.trusted ({} since the last such line)", factory.listener(), line.key(),
                line.count()));
        in.skipBytes(in.readableBytes());
        ctx.close();
    }

    /** Takes the decoded header: its source becomes the connection's client address. */
    private static final class ProxySource extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof HAProxyMessage header)) {
                ctx.fireChannelRead(msg);
                return;
            }
            try {
                if (header.command() == HAProxyCommand.PROXY && header.sourceAddress() != null
                        && header.proxiedProtocol().addressFamily() != HAProxyProxiedProtocol.AddressFamily.AF_UNIX) {
                    // The decoder has checked the address is an IP literal of its family: no name lookup here.
                    SourceAddress.set(ctx.channel(), new InetSocketAddress(
                            InetAddress.getByName(header.sourceAddress()), header.sourcePort()));
                }
            } catch (UnknownHostException e) {
                ctx.close();
                return;
            } finally {
                header.release();
            }
            ctx.pipeline().remove(this);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A malformed header (HAProxyProtocolException) from a trusted proxy: nothing after it can be trusted.
            LOG.debug("closing {}: bad PROXY protocol header: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
