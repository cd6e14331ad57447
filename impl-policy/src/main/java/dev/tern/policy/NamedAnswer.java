package dev.tern.policy;

import dev.tern.spi.PolicyField;
import dev.tern.spi.Provenance;
import dev.tern.spi.PolicyAnswer;
import java.util.Objects;

/**
 * What one configured source said in one evaluation, under the name it has in config: the unit the
 * engine merges.
 *
 * <p>Immutable and thread-safe.
 *
 * @param source the configured name of the source
 * @param answer what it said (possibly an {@code on_error} substitute)
 */
record NamedAnswer(String source, PolicyAnswer answer) {

    NamedAnswer {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(answer, "answer");
    }

    /** Where this answer's value for the field came from; the field must be answered. */
    Provenance provenanceOf(PolicyField field) {
        return new Provenance(source, answer.rules().get(field));
    }
}
