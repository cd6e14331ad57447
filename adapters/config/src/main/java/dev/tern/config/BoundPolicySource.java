package dev.tern.config;

import dev.tern.spi.PolicySourceProvider;
import dev.tern.spi.PolicySourceSettings;
import java.util.Objects;

/**
 * One entry of {@code policy.sources}: its generic settings ({@code name}, {@code on_error},
 * {@code timeout}) and its provider with the rest of the entry bound to the provider's config type.
 *
 * <p>Immutable and thread-safe.
 *
 * @param settings the generic settings; the name defaults to {@code <type>#<index>}
 * @param binding the provider and its config
 */
public record BoundPolicySource(PolicySourceSettings settings, BoundProvider<PolicySourceProvider<?>> binding) {

    public BoundPolicySource {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(binding, "binding");
    }
}
