package dev.tern.config.shapes;

import dev.tern.spi.Bitrate;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.RelayContext;
import dev.tern.spi.RelayServer;
import dev.tern.spi.RelayServerProvider;
import java.nio.file.Path;
import java.util.List;

/** A test stand-in for the {@code netty} relay's config shape (the provider never creates a relay). */
public final class RelayShapes {

    private RelayShapes() {
    }

    public record Tls(Path certFile, Path keyFile) {
    }

    public record NettyConfig(String realm, List<String> listen, String relayAddress, String externalAddress,
            String ports, List<String> allowedPeers, Tls tls, Bitrate maxBitrate) {
        public NettyConfig {
            ports = ports == null ? "49152-65535" : ports;
            String[] range = ports.split("-");
            try {
                if (range.length != 2 || Integer.parseInt(range[0]) > Integer.parseInt(range[1])) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new InvalidSettingException("ports", "expected a range like 49152-65535");
            }
            listen = listen == null ? List.of("udp://127.0.0.1:3478") : List.copyOf(listen);
            allowedPeers = allowedPeers == null ? List.of() : List.copyOf(allowedPeers);
        }
    }

    public static final class NettyProvider implements RelayServerProvider<NettyConfig> {
        @Override
        public String type() {
            return "netty";
        }

        @Override
        public Class<NettyConfig> configType() {
            return NettyConfig.class;
        }

        @Override
        public RelayServer create(NettyConfig config, RelayContext context) {
            throw new InvalidSettingException("listen", "this test relay cannot be created");
        }
    }
}
