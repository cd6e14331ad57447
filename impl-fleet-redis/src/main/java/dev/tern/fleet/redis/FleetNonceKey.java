package dev.tern.fleet.redis;

import dev.tern.spi.FleetNonceKeys;
import dev.tern.spi.RelayStatus;
import dev.tern.spi.RelayStatus.NonceKeyOrigin;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nonce key of one relay of a Redis fleet: chosen once at start (the configured one, else the fleet's shared
 * {@code <ns>:nonce_key}, created by the first relay with {@code SET NX} and no expiry, else a random one of the
 * relay's own when Redis cannot be read in time), its digest for the heartbeat, and the warning when live relays
 * publish another digest. A relay on the fleet's key puts it back when Redis comes back empty. The key is kept for
 * the relay's life: once Redis answers again a relay on its own key
 * does not swap keys under its live allocations (their clients' nonces would go stale); its heartbeat's digest and
 * origin ({@code own}) show it until it restarts. Neither the key nor anything derived from it but the digest is
 * ever logged or put in an error.
 *
 * <p>Thread-safe: {@link #choose} runs once before the heartbeat starts; the rest runs on the heartbeat.
 */
final class FleetNonceKey {

    private static final Logger LOG = LoggerFactory.getLogger(FleetNonceKey.class);
    /** What the digest is an HMAC of; fixed, so that equal keys give equal digests on every relay. */
    private static final byte[] DIGEST_LABEL = "tern relay nonce key digest v1".getBytes(StandardCharsets.US_ASCII);
    /** The length of {@link FleetNonceKeys#randomKey()}'s keys. */
    private static final int KEY_BYTES = 32;
    private static final long RETRY_PAUSE_MILLIS = 100;

    private volatile String digest = "";
    private volatile NonceKeyOrigin origin = NonceKeyOrigin.UNKNOWN;
    private volatile List<String> mismatched = List.of();
    /** The fleet's shared key in hex, when this relay uses it: put back into a Redis that came back empty. */
    private volatile String shared;

    /**
     * The key to sign nonces with, recording its digest and origin.
     *
     * @param configured the configured key, used as it is
     * @param open the fleet's connection once open (failing when Redis cannot be reached), asked again (connecting
     *     again) after a failure until {@code wait} has passed
     * @param namespace the fleet's key prefix
     * @param wait how long to wait for Redis at most
     * @param relayId names the relay in the fallback's log line
     */
    byte[] choose(Optional<byte[]> configured, Supplier<CompletionStage<StatefulRedisConnection<String, String>>> open,
            String namespace, Duration wait, String relayId) {
        if (configured.isPresent()) {
            return chosen(configured.get().clone(), NonceKeyOrigin.CONFIGURED);
        }
        String candidate = HexFormat.of().formatHex(FleetNonceKeys.randomKey());
        Throwable last = null;
        // Until the deadline, not once: a JVM that has just started can miss Lettuce's connect timeout on its first
        // connection (class loading on a loaded machine), and a relay that falls back needlessly is reported as
        // using another key until it restarts.
        long deadline = System.nanoTime() + wait.toNanos();
        for (long left = wait.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            try {
                String stored = open.get().thenCompose(c -> c.async().<String>eval(FleetScripts.NONCE_KEY,
                        ScriptOutputType.VALUE, new String[0], namespace, candidate)).toCompletableFuture()
                        .get(left, TimeUnit.NANOSECONDS);
                if (stored == null || !stored.matches("[0-9a-f]{" + 2 * KEY_BYTES + "}")) {
                    return fallBack(relayId, namespace + ":nonce_key in Redis is not " + 2 * KEY_BYTES
                            + " lower-case hex digits; delete it to let the next relay to start create it");
                }
                shared = stored;
                return chosen(HexFormat.of().parseHex(stored), NonceKeyOrigin.FLEET);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fallBack(relayId, "interrupted");
            } catch (ExecutionException e) {
                last = e.getCause() == null ? e : e.getCause();
            } catch (TimeoutException e) {
                // Keep what an earlier try said (a refused password says more than the deadline).
                last = last == null ? e : last;
            } catch (RuntimeException e) {
                last = e;
            }
            if (definitive(last)) {
                break;
            }
            try {
                Thread.sleep(Math.min(RETRY_PAUSE_MILLIS, Math.max(0, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fallBack(relayId, "interrupted");
            }
        }
        // open()'s own failure says why in the fleet's secret-free health detail.
        return fallBack(relayId, last instanceof IllegalStateException ? last.getMessage() : RedisTrouble.reason(last));
    }

    /** A failure trying again cannot mend: Redis refused the password, or the TLS handshake. */
    private static boolean definitive(Throwable failure) {
        String reason = failure instanceof IllegalStateException ? String.valueOf(failure.getMessage())
                : RedisTrouble.reason(failure);
        return reason.contains("authentication refused") || reason.contains("TLS handshake failed");
    }

    private byte[] fallBack(String relayId, String reason) {
        LOG.warn("relay {} could not read the fleet's shared nonce key from Redis at start ({}): it signs nonces with "
                + "a random key of its own until it restarts, so 300 Try Alternate between it and the other relays "
                + "will fail for browsers", relayId, reason);
        return chosen(FleetNonceKeys.randomKey(), NonceKeyOrigin.OWN);
    }

    private byte[] chosen(byte[] key, NonceKeyOrigin from) {
        digest = digest(key);
        origin = from;
        return key;
    }

    /**
     * After Redis was unreachable or came back empty: puts the fleet's shared key back unless one is stored (SET NX),
     * so that relays starting later get the key the running ones use. Does nothing for a configured key or one of
     * this relay's own. Not awaited; a failure is left to the next catch-up.
     */
    void restore(StatefulRedisConnection<String, String> c, String namespace) {
        String key = shared;
        if (key != null) {
            c.async().<String>eval(FleetScripts.NONCE_KEY, ScriptOutputType.VALUE, new String[0], namespace, key)
                    .exceptionally(e -> null);
        }
    }

    /** This relay's setup for its heartbeat: the sampled data plane with the key's digest and origin. */
    RelayStatus.Setup setup(String dataPlane) {
        return new RelayStatus.Setup(dataPlane, digest, origin);
    }

    /** After a beat: warns once per change of the set of live relays that publish another digest. */
    void check(String relayId, List<RelayStatus> live) {
        List<String> others = FleetNonceKeys.relaysWithAnotherKey(relayId, live);
        if (others.equals(mismatched)) {
            return;
        }
        mismatched = others;
        if (others.isEmpty()) {
            LOG.info("every live relay of the fleet now shares relay {}'s nonce key", relayId);
        } else {
            LOG.warn("fleet of relay {}: {}", relayId, FleetNonceKeys.detail(others));
        }
    }

    /**
     * HMAC-SHA256 of a fixed label under the key, its first 8 bytes in hex: equal for equal keys, and telling
     * nothing of the key.
     */
    static String digest(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] full = mac.doFinal(DIGEST_LABEL);
            return HexFormat.of().formatHex(full, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
