package dev.tern.policy.file;

import dev.tern.spi.InvalidSettingException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Config of the {@code file} policy source.
 *
 * <pre>{@code
 * - type: file
 *   name: rules
 *   path: policy.yaml     # .yaml, .yml or .json; relative to the config file's directory
 *   reload: 2s            # how often to look for changes; 0s turns reloading off
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param path the policy file (required)
 * @param reload how often the file is checked for changes (default 2s; {@code 0s} = never)
 */
public record FileSourceConfig(Path path, Duration reload) {

    /** How often the file is checked when {@code reload} is not given. */
    public static final Duration DEFAULT_RELOAD = Duration.ofSeconds(2);

    public FileSourceConfig {
        if (path == null) {
            throw new InvalidSettingException("path", "is required (expected the policy file, .yaml, .yml or .json)");
        }
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (!name.endsWith(".yaml") && !name.endsWith(".yml") && !name.endsWith(".json")) {
            throw new InvalidSettingException("path", "must end in .yaml, .yml or .json (the extension picks the format)");
        }
        reload = reload == null ? DEFAULT_RELOAD : reload;
        if (reload.isNegative()) {
            throw new InvalidSettingException("reload", "must not be negative (expected an interval like 2s, or 0s "
                    + "to turn reloading off)");
        }
    }
}
