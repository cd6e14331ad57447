package dev.tern.relay.shared;

import dev.tern.spi.Transport;
import dev.tern.guard.ClientLogThrottle;
import dev.tern.guard.SourceAddress;
import dev.tern.relay.proxy.ProxyProtocolGate;
import dev.tern.relay.stream.StreamConnectionInitializer;
import dev.tern.relay.stream.TurnPipeline;
import dev.tern.relay.tls.ReloadingSslContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of a connection to a port TURN shares with HTTP ({@code tls+https://}, {@code tcp+http://}): the
 * relay's {@link dev.tern.guard.ListenerGuard} (caps, descriptor reserve, idle timeout), the PROXY protocol
 * header of a trusted proxy when configured, TLS ({@code tls+https://}: the relay's certificate, reloaded when it
 * changes, with ALPN {@code h2}, {@code http/1.1} and {@code stun.turn}), then the {@link ProtocolRouter} and the
 * deadline for the first bytes ({@code relay.tcp.first_message_timeout}, counted from the accept). TURN
 * connections get the {@link TurnPipeline}; HTTP ones go to the host's {@link HttpConnections}, or are closed
 * while the host has given none.
 *
 * <p>Sharable and thread-safe: it keeps no per-connection state itself.
 */
@ChannelHandler.Sharable
public final class SharedConnectionInitializer extends ChannelInitializer<SocketChannel> {

    private static final Logger LOG = LoggerFactory.getLogger(SharedConnectionInitializer.class);

    private final TurnPipeline turn;
    private final ReloadingSslContext tls;
    private final ChannelGroup connections;
    private final Optional<ProxyProtocolGate.Factory> proxies;
    private final Supplier<Optional<HttpConnections>> http;
    private final ClientLogThrottle log;

    /**
     * @param tls the TLS context ({@code tls+https://}), or {@code null} for {@code tcp+http://}
     * @param connections where open connections are tracked (for drain and stop)
     * @param proxies reads PROXY protocol headers from trusted proxies, when configured
     * @param http the host's HTTP side, asked per connection (the host may give it after the relay started)
     */
    public SharedConnectionInitializer(TurnPipeline turn, ReloadingSslContext tls, ChannelGroup connections,
            Optional<ProxyProtocolGate.Factory> proxies, Supplier<Optional<HttpConnections>> http) {
        this.turn = turn;
        this.tls = tls;
        this.connections = connections;
        this.proxies = proxies;
        this.http = http;
        this.log = turn.runtime().observers().clientLog();
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        StreamConnectionInitializer.prepare(ch, connections);
        ChannelPipeline p = ch.pipeline();
        turn.guard().guard(p);
        proxies.ifPresent(gate -> p.addLast("proxy", gate.newGate()));
        if (tls != null) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
        }
        p.addLast("route", new ProtocolRouter(new ProtocolRouter.Routes() {
            @Override
            public void turn(Channel connection) {
                turn.install(connection, tls != null ? Transport.TLS : Transport.TCP);
            }

            @Override
            public void http(Channel connection, HttpProtocol protocol) {
                Optional<HttpConnections> side = http.get();
                if (side.isPresent()) {
                    side.get().adopt(connection, protocol);
                } else {
                    log.admit("no-http", String.valueOf(SourceAddress.of(connection))).ifPresent(line -> LOG.info(
                            "closing an HTTP connection from {} to a port shared with TURN: no HTTP side is "
                                    + "served on it ({} since the last such line)", line.key(), line.count()));
                    connection.close();
                }
            }
        }, log));
        p.addLast("first-bytes", turn.guard().firstMessageDeadline(msg -> true, "TURN or HTTP bytes"));
    }
}
