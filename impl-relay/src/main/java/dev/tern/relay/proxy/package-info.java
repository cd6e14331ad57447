/**
 * The PROXY protocol (v1 and v2) on the relay's stream listeners: {@link dev.tern.relay.proxy.ProxyProtocolGate}
 * reads the header of a trusted proxy and records the client address it names.
 */
package dev.tern.relay.proxy;
