/**
 * Which peers a relay may send to: the peer address filter (PROTOCOL.md's refused ranges, {@code allowed_peers},
 * {@code denied_peers}), address ranges and the relay's own addresses.
 */
package dev.tern.relay.peer;
