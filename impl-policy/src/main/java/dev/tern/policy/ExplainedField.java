package dev.tern.policy;

import dev.tern.spi.PolicyField;
import dev.tern.spi.Provenance;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of an explained decision: a field, its effective value as config would write it, and
 * where the value came from (empty when no source and no default answered, so the built-in
 * meaning applies).
 *
 * <p>Immutable and thread-safe.
 *
 * @param field the policy field
 * @param value the effective value, like {@code true}, {@code 2M}, {@code udp, tls}, {@code unlimited}
 * @param provenance the source and rule that set it, if any did
 */
public record ExplainedField(PolicyField field, String value, Optional<Provenance> provenance) {

    public ExplainedField {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(provenance, "provenance");
    }
}
