/**
 * A real Redis for tests: {@link dev.tern.testing.redis.RedisServer} starts Debian's {@code redis-server} on a
 * loopback port with no persistence, optionally with a password and TLS, and kills and restarts it to make outages.
 */
package dev.tern.testing.redis;
