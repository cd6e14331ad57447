package dev.tern.config;

import dev.tern.spi.PolicySourceSettings;
import java.time.Duration;

/**
 * The generic keys of a {@code policy.sources} entry, bound like any section so that their errors read
 * the same. Absent keys are null; {@link PolicySourceSettings} applies the defaults.
 */
record SourceSettingsKeys(String name, PolicySourceSettings.OnError onError, Duration timeout) {

    /** The keys every source entry may have besides its provider's own. */
    static final java.util.List<String> KEYS = java.util.List.of("name", "on_error", "timeout");
}
