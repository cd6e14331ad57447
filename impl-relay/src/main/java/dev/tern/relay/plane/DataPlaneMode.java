package dev.tern.relay.plane;

import dev.tern.spi.InvalidSettingException;
import java.util.Locale;

/**
 * The {@code relay.data_plane} setting: which plane forwards bound UDP channels.
 */
public enum DataPlaneMode {
    /** The kernel plane where it loads (root, or CAP_BPF and CAP_NET_ADMIN; BTF; clsact), else user space. */
    AUTO,
    /** The kernel plane, or the relay does not start. */
    KERNEL,
    /** User space only. */
    USER;

    /**
     * Parses the setting's value ({@code null} is the default, {@code auto}).
     *
     * @throws InvalidSettingException naming {@code data_plane} for anything else
     */
    public static DataPlaneMode parse(String value) {
        if (value == null) {
            return AUTO;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "kernel" -> KERNEL;
            case "user" -> USER;
            default -> throw new InvalidSettingException("data_plane",
                    "'" + value + "' is not one of auto, kernel, user");
        };
    }

    /** The setting's spelling. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
