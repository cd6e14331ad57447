/**
 * Per-allocation bandwidth limits: the token bucket each direction of an allocation is metered by.
 */
package dev.tern.relay.quota;
