package dev.tern.launcher;

import dev.tern.admin.AdminConfig;
import dev.tern.config.TernConfig;
import java.util.Optional;

/**
 * Binds the sections the config loader leaves to others ({@code matrix}, {@code metrics}), so that
 * {@code check-config} and {@code serve} refuse the same mistakes. Stateless.
 */
final class Sections {

    private Sections() {
    }

    /** {@code matrix}, bound; a mistake is a {@link dev.tern.config.ConfigException}. */
    static Optional<MatrixSections> matrix(TernConfig config) {
        return MatrixSections.bind(config);
    }

    /**
     * {@code metrics}, bound to tern-admin's {@link AdminConfig} (metrics, health and the admin page share
     * one HTTP server); a mistake is a {@link dev.tern.config.ConfigException}.
     */
    static Optional<AdminConfig> metrics(TernConfig config) {
        return config.metrics().map(section -> section.bind(AdminConfig.class));
    }

    /** Whether the admin routes are served on the relay's shared port too ({@code metrics.shared_port}). */
    static boolean adminOnSharedPort(TernConfig config) {
        return metrics(config).filter(AdminConfig::enabled).map(AdminConfig::sharedPort).orElse(false);
    }

    /**
     * Binds every section the loader leaves unbound and builds what {@code serve} builds, without
     * starting it ({@link TernService#check}), for {@code check-config}; checks the shared ports too.
     */
    static void check(TernConfig config) {
        SharedPorts.check(config);
        TernService.check(config);
    }
}
