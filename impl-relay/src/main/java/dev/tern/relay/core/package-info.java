/**
 * The TURN core without Netty (issue #17 point 1; the model is Pion's split of server, allocation and protocol).
 * {@link dev.tern.relay.core.allocation} holds what an allocation is (permissions, channel bindings, lifetime,
 * rate limit, traffic counters) as plain objects driven by a monotonic clock given to each call;
 * {@link dev.tern.relay.core.request} decides what each request does and returns it as a value (answer, ask
 * policy, bind a relay port, refresh, install permissions or a channel route, delete, forward). The data planes
 * and transports ({@code dev.tern.relay.server}, {@code transport}, {@code plane}, {@code stream}) carry the
 * decisions out with Netty and the kernel. No class here may depend on Netty: an ArchUnit test
 * ({@code TurnCoreArchitectureTest}) keeps it so.
 */
package dev.tern.relay.core;
