package dev.tern.launcher;

import dev.tern.config.TernConfig;
import dev.tern.launcher.http.MatrixSection;
import java.util.Optional;

/**
 * Binds the sections the config loader leaves to the launcher ({@code matrix}, {@code metrics}), so
 * that {@code check-config} and {@code serve} refuse the same mistakes. Stateless.
 */
final class Sections {

    private Sections() {
    }

    /** {@code matrix}, bound; a mistake is a {@link dev.tern.config.ConfigException}. */
    static Optional<MatrixSection> matrix(TernConfig config) {
        return config.matrix().map(section -> section.bind(MatrixSection.class));
    }

    /** {@code metrics}, bound; a mistake is a {@link dev.tern.config.ConfigException}. */
    static Optional<MetricsSection> metrics(TernConfig config) {
        return config.metrics().map(section -> section.bind(MetricsSection.class));
    }

    /** Binds every launcher-owned section, for {@code check-config}. */
    static void check(TernConfig config) {
        matrix(config);
        metrics(config);
    }
}
