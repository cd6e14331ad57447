package dev.tern.launcher;

/**
 * The {@code metrics:} section. Accepted and validated now so configs can carry it; {@code /metrics} and
 * {@code /health} are served by a later version of the launcher.
 *
 * <p>Immutable and thread-safe.
 *
 * @param enabled whether metrics are served (default {@code false})
 */
public record MetricsSection(Boolean enabled) {

    public MetricsSection {
        enabled = enabled != null && enabled;
    }
}
