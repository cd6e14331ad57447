package dev.tern.matrix.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.config.ConfigLoader;
import dev.tern.config.ConfigSection;
import java.nio.file.Path;
import java.util.Map;

/** Binds a {@code matrix:} section with tern-config's real binder, as the launcher does. */
public final class ConfigShapes {

    private ConfigShapes() {
    }

    static ConfigSection section(Map<String, Object> matrix) {
        try {
            String text = new ObjectMapper().writeValueAsString(Map.of("server_name", "example.org", "matrix", matrix));
            return ConfigLoader.standard().parse(text, "test.yaml", Path.of(".")).matrix().orElseThrow();
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    public static MatrixConfig bind(Map<String, Object> matrix) {
        return section(matrix).bind(MatrixConfig.class);
    }
}
