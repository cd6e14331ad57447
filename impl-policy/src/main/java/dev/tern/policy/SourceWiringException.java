package dev.tern.policy;

import dev.tern.spi.InvalidSettingException;
import java.util.Objects;

/**
 * A configured source cannot work with the others it is configured with, such as a {@code file} source
 * with rules on {@code groups} and no source that knows groups. Thrown by the {@link PolicyEngine}'s
 * constructor; {@link #sourceName()} says which source, so a host can report it at that source's place in
 * its config (the key is relative to that source's section, empty for the section as a whole).
 *
 * <p>Immutable.
 */
public final class SourceWiringException extends InvalidSettingException {

    private final String sourceName;

    /**
     * @param sourceName the configured name of the source
     * @param key the key, relative to the source's section; empty for the whole section
     * @param message what is wrong and what to do
     */
    public SourceWiringException(String sourceName, String key, String message) {
        super(key, message);
        this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
    }

    /** The configured name of the source that cannot work. */
    public String sourceName() {
        return sourceName;
    }
}
