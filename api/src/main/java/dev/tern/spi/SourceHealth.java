package dev.tern.spi;

import java.util.Objects;

/**
 * Whether a policy source can answer now. A source that knows its backend (a directory connection)
 * reports it through {@code PolicySource.health()}; the policy engine reports every configured source,
 * by name, through {@link PolicyEvaluator#sourceHealth()}, which health checks show.
 *
 * <p>Immutable and thread-safe.
 *
 * @param answering whether the source (its backend) answers
 * @param detail a short, secret-free reason when it does not (like {@code LDAP connect error} or
 *     {@code no answer within 2s}): never an address, a user id or a credential; empty when answering
 */
public record SourceHealth(boolean answering, String detail) {

    /** A source that answers. */
    public static final SourceHealth ANSWERING = new SourceHealth(true, "");

    public SourceHealth {
        Objects.requireNonNull(detail, "detail");
    }

    /** A source that cannot answer, for this reason. */
    public static SourceHealth failing(String detail) {
        return new SourceHealth(false, detail);
    }
}
