package dev.tern.spi;

import java.util.Optional;

/**
 * The fields of a {@link TurnPolicy}, with the names config uses for them and the order in which
 * decisions are explained.
 *
 * <p>Immutable and thread-safe.
 */
public enum PolicyField {
    FORCE_RELAY("force_relay"),
    TURN_ALLOWED("turn_allowed"),
    GUESTS_ALLOWED("guests_allowed"),
    MAX_ALLOCATIONS("max_allocations"),
    MAX_BITRATE("max_bitrate"),
    TRANSPORTS("transports"),
    MAX_CREDENTIAL_LIFETIME("max_credential_lifetime");

    private final String configKey;

    PolicyField(String configKey) {
        this.configKey = configKey;
    }

    /** The key used in config files: {@code force_relay}, {@code max_bitrate}, ... */
    public String configKey() {
        return configKey;
    }

    /** This field's value in the given policy, if that policy answers it. */
    public Optional<Object> valueIn(TurnPolicy policy) {
        return switch (this) {
            case FORCE_RELAY -> policy.forceRelay().map(v -> v);
            case TURN_ALLOWED -> policy.turnAllowed().map(v -> v);
            case GUESTS_ALLOWED -> policy.guestsAllowed().map(v -> v);
            case MAX_ALLOCATIONS -> policy.maxAllocations().isPresent()
                    ? Optional.of(policy.maxAllocations().getAsInt()) : Optional.empty();
            case MAX_BITRATE -> policy.maxBitrate().map(v -> v);
            case TRANSPORTS -> policy.transports().map(v -> v);
            case MAX_CREDENTIAL_LIFETIME -> policy.maxCredentialLifetime().map(v -> v);
        };
    }

    /** The field whose config key is given, if any. */
    public static Optional<PolicyField> fromConfigKey(String key) {
        for (PolicyField field : values()) {
            if (field.configKey.equals(key)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }
}
