/**
 * Allocations and what they hold: the per-socket tables, the relay-wide registry the quotas count against
 * ({@link dev.tern.relay.core.request.QuotaRefusal} says why one was refused), permissions, channel bindings, traffic
 * counters and the cache of recent responses.
 */
package dev.tern.relay.allocation;
