/**
 * Draining a relay for a rolling restart (issue #18): {@link dev.tern.relay.drain.AlternateRelays} picks the live,
 * not draining relay of the fleet that a refused Allocate's 300 Try Alternate names (ALTERNATE-SERVER), over the
 * client's transport and address family.
 */
package dev.tern.relay.drain;
