/**
 * The relay's request path: one {@link dev.tern.relay.server.StunRequestHandler} per listening socket or
 * connection, authentication, Allocate, Refresh, CreatePermission, ChannelBind and Send, lifetimes, and the events
 * handed to {@link dev.tern.spi.RelayListener}s.
 */
package dev.tern.relay.server;
