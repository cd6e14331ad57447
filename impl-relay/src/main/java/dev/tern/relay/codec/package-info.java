/**
 * STUN and TURN on the wire (RFC 8489, RFC 8656): parsing and writing messages and ChannelData, attributes,
 * MESSAGE-INTEGRITY and FINGERPRINT, over Netty buffers without copies.
 */
package dev.tern.relay.codec;
