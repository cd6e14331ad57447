package dev.tern.relay;

import dev.tern.relay.transport.EventLoops;
import dev.tern.spi.RelayContext;
import dev.tern.spi.RelayServer;
import dev.tern.spi.RelayServerProvider;

/**
 * The {@code netty} relay: {@code relay: {type: netty, realm: ..., listen: [udp://0.0.0.0:3478], ...}}.
 * Uses native epoll when available, NIO otherwise.
 *
 * <p>Thread-safe and stateless; found with {@link java.util.ServiceLoader}.
 */
public final class NettyRelayProvider implements RelayServerProvider<RelayConfig> {

    @Override
    public String type() {
        return "netty";
    }

    @Override
    public Class<RelayConfig> configType() {
        return RelayConfig.class;
    }

    @Override
    public RelayServer create(RelayConfig config, RelayContext context) {
        return new NettyRelayServer(config, context, EventLoops.detect());
    }
}
