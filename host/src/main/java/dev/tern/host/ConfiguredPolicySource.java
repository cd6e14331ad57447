package dev.tern.host;

import dev.tern.spi.PolicySource;
import dev.tern.spi.PolicySourceSettings;
import java.util.Objects;

/**
 * A policy source together with its generic settings, as the host hands it to the policy engine.
 *
 * <p>Immutable and thread-safe (as thread-safe as the source).
 *
 * @param settings name, {@code on_error} and {@code timeout}
 * @param source the source itself
 */
public record ConfiguredPolicySource(PolicySourceSettings settings, PolicySource source) {

    public ConfiguredPolicySource {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(source, "source");
    }
}
