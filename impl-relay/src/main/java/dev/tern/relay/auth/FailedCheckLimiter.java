package dev.tern.relay.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tern.relay.quota.TokenBucket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Limits failed long-term credential checks (online password guessing) per username and per client
 * address: each has an allowance of failed checks that refills by one every {@code refillInterval}. While
 * either allowance of a request is used up, {@link #paused} says so and the authenticator answers 401
 * without checking, as RFC 8489 would for a wrong password, so the guesser cannot tell a right guess from a
 * wrong one. Only failures are counted: a client that authenticates is never counted or slowed, but it
 * shares its address's allowance (a NAT) and its username's with whoever guesses them.
 *
 * <p>IPv6 addresses count per /64 (one subscriber's usual share), IPv4 (also IPv4-mapped IPv6) per address. Usernames are kept as
 * a 128-bit digest, so a table entry has a fixed size whatever the username. Each table keeps at most
 * {@code maxTracked} keys (least recently used ones are dropped, and start with a full allowance when seen
 * again); a key whose allowance is full again is forgotten.
 *
 * <p>Thread-safe (one limiter serves every event loop). Failures are reported to a {@link FailedCheckLog}.
 */
public final class FailedCheckLimiter {

    private static final long MILLIS_PER_SECOND = 1000;

    private final int cost;
    private final Cache<UsernameKey, TokenBucket> byUsername;
    private final Cache<InetAddress, TokenBucket> byAddress;
    private final LongSupplier nanoTime;
    private final int perUsername;
    private final int perAddress;
    private final FailedCheckLog log;
    private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(FailedCheckLimiter::newDigest);

    /**
     * @param perUsername failed checks allowed at once for one username, at least 1
     * @param perAddress failed checks allowed at once from one client address (IPv6: /64), at least 1
     * @param refillInterval one more failed check is allowed after this long, from 1 ms to 1 hour
     * @param maxTracked usernames, and separately addresses, tracked at once, at least 1
     * @param nanoTime monotonic time
     * @param log where failures are reported
     * @throws IllegalArgumentException for a value out of range
     */
    public FailedCheckLimiter(int perUsername, int perAddress, Duration refillInterval, int maxTracked,
            LongSupplier nanoTime, FailedCheckLog log) {
        if (perUsername < 1 || perAddress < 1 || maxTracked < 1 || refillInterval.toMillis() < 1
                || refillInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("failed check limits out of range");
        }
        // TokenBucket counts whole tokens per second: a failed check costs the refill interval in
        // milliseconds, refilled at 1000 a second, so exactly one check comes back per interval.
        this.cost = (int) refillInterval.toMillis();
        this.perUsername = perUsername;
        this.perAddress = perAddress;
        this.nanoTime = nanoTime;
        this.log = log;
        // Forgotten once full again: perX * interval after the last failure, the bucket has refilled.
        Duration forget = refillInterval.multipliedBy(Math.max(perUsername, perAddress));
        // Caffeine's maintenance runs on the caller (an event loop; it is short), not in the common pool, whose
        // workers would outlive the relay's stop().
        this.byUsername = Caffeine.newBuilder().maximumSize(maxTracked).ticker(nanoTime::getAsLong)
                .expireAfterAccess(forget).executor(Runnable::run).build();
        this.byAddress = Caffeine.newBuilder().maximumSize(maxTracked).ticker(nanoTime::getAsLong)
                .expireAfterAccess(forget).executor(Runnable::run).build();
    }

    /** Whether checks are paused for this username or for this client address. */
    public boolean paused(String username, InetAddress client) {
        return usedUp(byUsername.getIfPresent(usernameKey(username)))
                || usedUp(byAddress.getIfPresent(addressKey(client)));
    }

    /** Counts one failed check of {@code username} from {@code client}. */
    public void failed(String username, InetAddress client) {
        boolean userPaused = take(byUsername.get(usernameKey(username), k -> bucket(perUsername)));
        boolean addressPaused = take(byAddress.get(addressKey(client), k -> bucket(perAddress)));
        log.failed(username, client, userPaused, addressPaused);
    }

    /** Usernames and addresses tracked now (after pending evictions), for tests. */
    long tracked() {
        byUsername.cleanUp();
        byAddress.cleanUp();
        return byUsername.estimatedSize() + byAddress.estimatedSize();
    }

    private TokenBucket bucket(int allowance) {
        return new TokenBucket(MILLIS_PER_SECOND, (long) allowance * cost, nanoTime);
    }

    /** Takes one failure from the allowance; whether the allowance is used up afterwards. */
    private boolean take(TokenBucket bucket) {
        synchronized (bucket) {
            bucket.tryConsume(cost);
            return bucket.available() < cost;
        }
    }

    private boolean usedUp(TokenBucket bucket) {
        if (bucket == null) {
            return false;
        }
        synchronized (bucket) {
            return bucket.available() < cost;
        }
    }

    /** The key an address counts under: the address itself, its IPv4 address if IPv4-mapped, or its /64. */
    static InetAddress addressKey(InetAddress client) {
        if (!(client instanceof Inet6Address)) {
            return client;
        }
        byte[] bytes = client.getAddress();
        boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
        for (int i = 0; i < 10 && mapped; i++) {
            mapped = bytes[i] == 0;
        }
        byte[] key = mapped ? Arrays.copyOfRange(bytes, 12, 16) : Arrays.copyOf(bytes, 16);
        if (!mapped) {
            // Every IPv4-mapped client would otherwise share ::ffff:0:0/64.
            Arrays.fill(key, 8, 16, (byte) 0);
        }
        try {
            return InetAddress.getByAddress(key);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    private UsernameKey usernameKey(String username) {
        MessageDigest digest = sha256.get();
        ByteBuffer hash = ByteBuffer.wrap(digest.digest(username.getBytes(StandardCharsets.UTF_8)));
        return new UsernameKey(hash.getLong(), hash.getLong());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** The first 128 bits of SHA-256 of a username: a fixed-size key that cannot be steered into collisions. */
    private record UsernameKey(long high, long low) {
    }
}
