package dev.tern.spi;

import java.util.Objects;

/**
 * Where a field of a {@link PolicyDecision} came from: the policy source and the rule in it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param source the configured name of the source ({@code defaults} for {@code policy.defaults})
 * @param rule the rule inside the source that set the field, or a short description such as
 *     {@code on_error: fail_closed} when the source could not answer
 */
public record Provenance(String source, String rule) {

    /** The provenance of a value that came from {@code policy.defaults}. */
    public static final Provenance DEFAULTS = new Provenance("defaults", "policy.defaults");

    public Provenance {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(rule, "rule");
    }

    @Override
    public String toString() {
        return source + " / " + rule;
    }
}
