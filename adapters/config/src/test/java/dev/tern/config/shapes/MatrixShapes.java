package dev.tern.config.shapes;

import dev.tern.spi.Secret;
import dev.tern.config.ConfigSection;
import dev.tern.spi.Provider;
import java.time.Duration;
import java.util.Map;

/**
 * A stand-in for the Matrix module's own config: a record with an unbound {@code access_tokens}
 * sub-section that selects a provider of another {@link Provider} interface by {@code type:}.
 */
public final class MatrixShapes {

    private MatrixShapes() {
    }

    public record MatrixConfig(String listen, ConfigSection accessTokens, Map<String, Object> wellKnown) {
    }

    /** A provider interface that is not one of tern-api's, to show the catalog serves any kind. */
    public interface TokenCheckProvider<C> extends Provider<C> {
    }

    public record WhoamiConfig(String homeserver, Duration cacheTtl, Secret sharedToken) {
    }

    public static final class WhoamiProvider implements TokenCheckProvider<WhoamiConfig> {
        @Override
        public String type() {
            return "whoami";
        }

        @Override
        public Class<WhoamiConfig> configType() {
            return WhoamiConfig.class;
        }
    }
}
