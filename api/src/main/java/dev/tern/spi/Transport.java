package dev.tern.spi;

import java.util.Locale;

/** A transport a client may use to reach the relay. Config spells them in lower case. Immutable and thread-safe. */
public enum Transport {
    /** TURN over UDP ({@code turn:...?transport=udp}). */
    UDP,
    /** TURN over plain TCP ({@code turn:...?transport=tcp}). */
    TCP,
    /** TURN over TLS ({@code turns:...?transport=tcp}). */
    TLS;

    /** The name used in config and URIs: {@code udp}, {@code tcp}, {@code tls}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
