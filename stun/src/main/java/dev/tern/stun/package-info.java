/**
 * The STUN and TURN wire format (RFC 8489, RFC 8656) over Netty buffers: parsing and writing messages and
 * attributes, MESSAGE-INTEGRITY(-SHA256), FINGERPRINT, XOR addresses and ChannelData. Written once and shared
 * by the relay ({@code dev.tern.relay}) and the TURN client ({@code dev.tern.turn.client}).
 */
package dev.tern.stun;
