/**
 * The {@code fleet: {type: redis}} provider (issue #18): relays sharing one Redis (or Valkey) through Lettuce.
 * {@link dev.tern.fleet.redis.RedisFleet} registers this relay with a heartbeat, keeps the live relays in a local
 * cache, takes and gives back each allocation's fleet-wide lease in one Lua round trip, and publishes and applies
 * revocations; when Redis cannot be reached it reports degraded and the relay goes on with its own quotas.
 * Redis is never on the per-packet path.
 */
package dev.tern.fleet.redis;
