package dev.tern.matrix.auth.whoami;

import static dev.tern.spi.SettingChecks.atLeast;
import static dev.tern.spi.SettingChecks.within;

import dev.tern.matrix.http.HttpUrlSetting;
import dev.tern.spi.InvalidSettingException;
import java.net.URI;
import java.time.Duration;

/**
 * The {@code matrix.access_tokens: {type: whoami}} section, for sidecar mode: tokens are checked by asking
 * the real homeserver's {@code GET /_matrix/client/v3/account/whoami}.
 *
 * <pre>{@code
 * access_tokens:
 *   type: whoami
 *   homeserver: "http://127.0.0.1:8008"   # Synapse, Conduit, Dendrite ... as Tern can reach it
 *   timeout: 5s
 *   cache_time: 2m
 *   failure_cache_time: 10s
 *   cache_size: 10000
 * }</pre>
 *
 * <p>Immutable and thread-safe. A bad value throws {@link InvalidSettingException} naming the key.
 *
 * @param homeserver the homeserver's client API base URL (required)
 * @param timeout how long to wait for the homeserver (default 5s, 100ms to 1m)
 * @param cacheTime how long a known token's user is remembered (default 2m, up to 1h; 0 turns caching off):
 *     a logged-out token keeps working this long
 * @param failureCacheTime how long an unknown token is remembered (default 10s, up to 1h)
 * @param cacheSize how many tokens are remembered at most (default 10000)
 */
public record WhoamiConfig(String homeserver, Duration timeout, Duration cacheTime, Duration failureCacheTime,
        Integer cacheSize) {

    public WhoamiConfig {
        homeserver = HttpUrlSetting.parse("homeserver", homeserver, "http://127.0.0.1:8008").toString();
        timeout = within("timeout", timeout, Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(1));
        cacheTime = within("cache_time", cacheTime, Duration.ofMinutes(2), Duration.ZERO, Duration.ofHours(1));
        failureCacheTime = within("failure_cache_time", failureCacheTime, Duration.ofSeconds(10), Duration.ZERO,
                Duration.ofHours(1));
        cacheSize = cacheSize == null ? 10_000 : atLeast("cache_size", cacheSize, 1);
    }

    /** The homeserver base URL as a URI. */
    public URI homeserverUri() {
        return URI.create(homeserver);
    }
}
