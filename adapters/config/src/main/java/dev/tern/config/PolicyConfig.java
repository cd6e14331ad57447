package dev.tern.config;

import dev.tern.spi.TurnPolicy;
import java.util.List;
import java.util.Objects;

/**
 * The {@code policy} section: the defaults and the sources, in config order.
 *
 * <p>Immutable and thread-safe.
 *
 * @param defaults {@code policy.defaults}, empty when not given
 * @param sources {@code policy.sources}, in config order
 */
public record PolicyConfig(TurnPolicy defaults, List<BoundPolicySource> sources) {

    /** No defaults and no sources. */
    public static final PolicyConfig NONE = new PolicyConfig(TurnPolicy.EMPTY, List.of());

    public PolicyConfig {
        Objects.requireNonNull(defaults, "defaults");
        sources = List.copyOf(sources);
    }
}
