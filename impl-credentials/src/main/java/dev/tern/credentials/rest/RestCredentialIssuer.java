package dev.tern.credentials.rest;

import dev.tern.spi.Subject;
import dev.tern.spi.TurnCredentials;
import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.CredentialVerifier;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.ProviderContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues TURN REST API credentials byte for byte as Synapse does: {@code expiry = (now_ms + lifetime_ms) / 1000},
 * username {@code <expiry><separator><user id>}, password base64(HMAC-SHA1(first secret, username)),
 * {@code ttl = lifetime} in whole seconds. A guest's user part is the guest's user id (whether guests get
 * credentials at all is policy's decision, taken before this issuer is asked). Guests' usernames are
 * remembered until they expire ({@link IssuedGuests}, bounded), so that this issuer's verifier tells an
 * in-process relay which allocations are guests' and the relay can refuse them if policy changes.
 *
 * <p>Credentials a user was given less than half a lifetime ago are handed out again (with the
 * {@code ttl} that is left) when {@code cache_size} is positive. Thread-safe; never logs a secret or a
 * password. {@link #close()} stops the secret file polling and is idempotent.
 */
public final class RestCredentialIssuer implements CredentialIssuer {

    private static final Logger LOG = LoggerFactory.getLogger(RestCredentialIssuer.class);
    private static final Map<String, String> FRESH = Map.of("type", "rest", "reuse", "fresh");
    private static final Map<String, String> REUSED = Map.of("type", "rest", "reuse", "reused");

    private final RestCredentialsConfig config;
    private final SecretRing secrets;
    private final Clock clock;
    private final MetricsRecorder metrics;
    private final Optional<IssuedCredentialsCache> cache;
    private final RestCredentialVerifier verifier;
    private final IssuedGuests guests;
    private final Optional<ScheduledFuture<?>> reloading;

    private RestCredentialIssuer(RestCredentialsConfig config, SecretRing secrets, ProviderContext context) {
        this.config = config;
        this.secrets = secrets;
        this.clock = context.clock();
        this.metrics = context.metrics();
        this.cache = config.cacheSize() > 0
                ? Optional.of(new IssuedCredentialsCache(config.cacheSize(), clock)) : Optional.empty();
        this.guests = new IssuedGuests(config.clockSkew(), clock);
        this.verifier = new RestCredentialVerifier(secrets, UsernameRules.of(config), clock, metrics, guests);
        if (secrets.hasFiles()) {
            long every = config.secretReloadInterval().toMillis();
            this.reloading = Optional.of(context.scheduler().scheduleWithFixedDelay(this::reloadSecrets, every, every,
                    TimeUnit.MILLISECONDS));
        } else {
            this.reloading = Optional.empty();
        }
    }

    /**
     * Loads the secrets (reading {@code secret_files}, resolved against the config directory) and starts
     * polling the files for changes on the context's scheduler.
     *
     * @throws dev.tern.spi.InvalidSettingException when a secret file cannot be read, is empty or is weak
     */
    public static RestCredentialIssuer create(RestCredentialsConfig config, ProviderContext context) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(context, "context");
        List<Path> files = config.secretFiles().stream().map(p -> context.configDirectory().resolve(p)).toList();
        SecretRing ring = new SecretRing(config.secrets(), files, config.allowWeakSecret());
        if (config.uris().isEmpty()) {
            LOG.warn("credentials.uris is empty: clients will get credentials but no TURN server to use them on");
        }
        LOG.info("TURN REST credentials: {} secret(s) ({} from files), lifetime {}, clock skew {}, reuse cache {}",
                ring.current().secrets().size(), files.size(), config.lifetime(), config.clockSkew(),
                config.cacheSize() > 0 ? config.cacheSize() + " users" : "off");
        return new RestCredentialIssuer(config, ring, context);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code lifetimeCap} is not positive
     */
    @Override
    public TurnCredentials issue(Subject subject, Duration lifetimeCap) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(lifetimeCap, "lifetimeCap");
        if (lifetimeCap.isNegative() || lifetimeCap.isZero()) {
            throw new IllegalArgumentException("the lifetime cap must be positive");
        }
        long lifetimeMillis = config.lifetime().compareTo(lifetimeCap) <= 0
                ? config.lifetime().toMillis() : lifetimeCap.toMillis();
        SecretRing.Snapshot snapshot = secrets.current();
        if (cache.isEmpty()) {
            metrics.count("tern_credentials_issued", FRESH, 1);
            IssuedCredentialsCache.Minted minted = mint(subject.userId(), lifetimeMillis, snapshot);
            rememberGuest(subject, minted);
            return credentials(minted, Duration.ofSeconds(lifetimeMillis / 1000));
        }
        IssuedCredentialsCache.Issued issued = cache.get().get(subject.userId(), lifetimeMillis, snapshot.generation(),
                () -> mint(subject.userId(), lifetimeMillis, snapshot));
        IssuedCredentialsCache.Minted minted = issued.minted();
        metrics.count("tern_credentials_issued", issued.fresh() ? FRESH : REUSED, 1);
        rememberGuest(subject, minted);
        if (issued.fresh()) {
            return credentials(minted, Duration.ofSeconds(lifetimeMillis / 1000));
        }
        long leftMillis = Math.max(0, minted.expiry() * 1000 - clock.millis());
        return credentials(minted, Duration.ofSeconds(leftMillis / 1000));
    }

    private void rememberGuest(Subject subject, IssuedCredentialsCache.Minted minted) {
        if (subject.guest()) {
            guests.remember(minted.username(), minted.expiry());
        }
    }

    private IssuedCredentialsCache.Minted mint(String userId, long lifetimeMillis, SecretRing.Snapshot snapshot) {
        long expiry = (clock.millis() + lifetimeMillis) / 1000;
        String username = expiry + String.valueOf(config.separatorChar()) + userId;
        return new IssuedCredentialsCache.Minted(username, TurnRestPassword.of(snapshot.signing(), username), expiry);
    }

    private TurnCredentials credentials(IssuedCredentialsCache.Minted minted, Duration ttl) {
        return new TurnCredentials(minted.username(), minted.password(), config.uris(), ttl);
    }

    /** The verifier that accepts what this issuer issues, with every configured secret. */
    @Override
    public Optional<CredentialVerifier> verifier() {
        return Optional.of(verifier);
    }

    /** Re-reads the secret files now if they changed; what the scheduler runs. Returns whether secrets changed. */
    boolean reloadSecrets() {
        try {
            return secrets.reloadIfChanged();
        } catch (RuntimeException e) {
            LOG.warn("Checking the TURN secret files failed; keeping the current secrets", e);
            return false;
        }
    }

    /** Entries in the reuse cache (0 when it is off); for tests. */
    long cachedUsers() {
        return cache.map(IssuedCredentialsCache::size).orElse(0L);
    }

    @Override
    public void close() {
        reloading.ifPresent(future -> future.cancel(false));
    }
}
