package dev.tern.fleet.redis;

/**
 * The Lua scripts the fleet runs in Redis, each one round trip and atomic. Keys are built inside the scripts from
 * the namespace (one Redis per fleet, not a cluster). Time is Redis's own ({@code TIME}), so relays' clocks need not
 * agree. Layout, with {@code ns} the namespace:
 * <ul>
 *   <li>{@code ns:relay:<id>}: a relay's status line, expiring {@code heartbeat * missed_beats} after its last beat;
 *   <li>{@code ns:relays}: sorted set of relay ids scored by their expiry (milliseconds), to list them;
 *   <li>{@code ns:leases:<user>}: hash of the user's allocation leases, {@code <relay>|<allocation>} to the relay
 *       id; a lease counts while its relay's key lives, and is removed at the user's next Allocate once it does not;
 *   <li>{@code ns:revoked}: hash of revoked user ids to the revocation time (milliseconds), and the channel
 *       {@code ns:revocations} carrying {@code <millis> <user>} for each new one;
 *   <li>{@code ns:nonce_key}: the nonce key the relays without a configured one share, 64 hex digits, no expiry.
 * </ul>
 */
final class FleetScripts {

    private FleetScripts() {
    }

    /** Redis's clock in milliseconds, as a local {@code now}. */
    private static final String NOW = "local t = redis.call('TIME')\n"
            + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n";

    /**
     * Appends to the table {@code out} the status lines of the relays of {@code ns} whose registration expires after
     * {@code now}, soonest expiry first; a listed relay whose key is already gone is left out.
     */
    private static final String LIVE_LINES = "for _, rid in ipairs(redis.call('ZRANGEBYSCORE', ns .. ':relays', "
            + "'(' .. now, '+inf')) do\n"
            + "  local s = redis.call('GET', ns .. ':relay:' .. rid)\n"
            + "  if s then table.insert(out, s) end\n"
            + "end\n";

    /**
     * One beat: ARGV ns, relay id, status line, expiry ms. Registers (or refreshes) the relay, drops the expired
     * from the list, and returns {now, existed before (1/0), status lines of the live relays...}.
     */
    static final String BEAT = NOW
            + "local ns, id = ARGV[1], ARGV[2]\n"
            + "local key = ns .. ':relay:' .. id\n"
            + "local existed = redis.call('EXISTS', key)\n"
            + "redis.call('SET', key, ARGV[3], 'PX', ARGV[4])\n"
            + "redis.call('ZADD', ns .. ':relays', now + tonumber(ARGV[4]), id)\n"
            + "redis.call('ZREMRANGEBYSCORE', ns .. ':relays', '-inf', now)\n"
            + "local out = {tostring(now), tostring(existed)}\n"
            + LIVE_LINES
            + "return out\n";

    /**
     * The live relays, read only (the probe's view, which must not register): ARGV ns. Returns {now, status lines
     * of the live relays...}, like {@link #BEAT} after its first two items.
     */
    static final String LIVE = NOW
            + "local ns = ARGV[1]\n"
            + "local out = {tostring(now)}\n"
            + LIVE_LINES
            + "return out\n";

    /**
     * Takes a lease: ARGV ns, user, lease field, relay id, max. Counts the user's leases on live relays (this relay
     * always counts as live: it is the one asking), drops those of gone relays, and adds the lease unless the
     * count is at max. Returns 1 (granted) or 0 (refused). A field already held is granted again.
     */
    static final String ACQUIRE = "local ns, user, field, relay, max = ARGV[1], ARGV[2], ARGV[3], ARGV[4], "
            + "tonumber(ARGV[5])\n"
            + "local key = ns .. ':leases:' .. user\n"
            + "local all = redis.call('HGETALL', key)\n"
            + "local n = 0\n"
            + "for i = 1, #all, 2 do\n"
            + "  local f, r = all[i], all[i + 1]\n"
            + "  if f == field then\n"
            + "  elseif r == relay or redis.call('EXISTS', ns .. ':relay:' .. r) == 1 then n = n + 1\n"
            + "  else redis.call('HDEL', key, f) end\n"
            + "end\n"
            + "if n >= max then return 0 end\n"
            + "redis.call('HSET', key, field, relay)\n"
            + "return 1\n";

    /** Revokes: ARGV ns, user. Records Redis's time for the user and publishes it; returns the time (ms). */
    static final String REVOKE = NOW
            + "redis.call('HSET', ARGV[1] .. ':revoked', ARGV[2], now)\n"
            + "redis.call('PUBLISH', ARGV[1] .. ':revocations', now .. ' ' .. ARGV[2])\n"
            + "return now\n";

    /**
     * The revocations still in force: ARGV ns, window ms. Drops those older than the window and returns
     * {now, user, millis, user, millis...}.
     */
    static final String REVOCATIONS = NOW
            + "local key = ARGV[1] .. ':revoked'\n"
            + "local all = redis.call('HGETALL', key)\n"
            + "local out = {tostring(now)}\n"
            + "for i = 1, #all, 2 do\n"
            + "  if tonumber(all[i + 1]) + tonumber(ARGV[2]) < now then redis.call('HDEL', key, all[i])\n"
            + "  else table.insert(out, all[i]); table.insert(out, all[i + 1]) end\n"
            + "end\n"
            + "return out\n";

    /**
     * The fleet's shared nonce key: ARGV ns, a random key (hex) to store when there is none yet. Returns the stored
     * key, the one given when this relay is the first.
     */
    static final String NONCE_KEY = "redis.call('SET', ARGV[1] .. ':nonce_key', ARGV[2], 'NX')\n"
            + "return redis.call('GET', ARGV[1] .. ':nonce_key')\n";

    /** Leaves: ARGV ns, relay id. Deregisters the relay (its leases stop counting at once). */
    static final String LEAVE = "redis.call('DEL', ARGV[1] .. ':relay:' .. ARGV[2])\n"
            + "redis.call('ZREM', ARGV[1] .. ':relays', ARGV[2])\n"
            + "return 1\n";
}
