package dev.tern.matrix.http;

import dev.tern.spi.InvalidSettingException;

/**
 * {@code matrix.unknown_token_limit}: a token bucket per client address for requests to
 * {@code /voip/turnServer} whose access token turns out unknown. Each such request may make the token
 * verifier ask the homeserver ({@code whoami}), so without a limit anyone could make the homeserver answer
 * for random tokens as fast as they can send them. A request takes from its address's bucket before the
 * token is checked and gives it back when the token is a user's (or could not be checked); an address whose
 * bucket is empty gets 429 {@code M_LIMIT_EXCEEDED} without its token being checked, which also holds back
 * a user who shares that address (behind the same NAT) until the bucket refills, as any per-address limit
 * does. The address is the client's behind {@code trusted_proxies}; IPv6 addresses count per /64, the
 * block one subscriber usually has.
 *
 * <p>Immutable and thread-safe. A bad value throws {@link InvalidSettingException} naming the key.
 *
 * @param perSecond unknown tokens an address may send per second on average (default 0.1, one every ten
 *     seconds; above 0, at most 10000)
 * @param burst unknown tokens an address may send at once (default 10, at least 1)
 * @param maxAddresses how many addresses' buckets are kept (default 100000); the least recently seen are
 *     dropped and start full again
 */
public record UnknownTokenLimitConfig(Double perSecond, Integer burst, Integer maxAddresses) {

    /** The defaults: 10 at once, then one every ten seconds, per address. */
    public static final UnknownTokenLimitConfig DEFAULT = new UnknownTokenLimitConfig(null, null, null);

    public UnknownTokenLimitConfig {
        perSecond = RateLimitConfig.rate("per_second", perSecond, 0.1);
        burst = RateLimitConfig.atLeastOne("burst", burst, 10);
        maxAddresses = RateLimitConfig.atLeastOne("max_addresses", maxAddresses, 100_000);
    }
}
