/**
 * Request handling of the TURN core: {@link dev.tern.relay.core.request.TurnCore} takes a decoded request (its own
 * records, filled by the Netty codec) with the client's 5-tuple and the allocation it names, and returns a
 * {@link dev.tern.relay.core.request.Decision}. Nothing here sends, binds or schedules.
 */
package dev.tern.relay.core.request;
