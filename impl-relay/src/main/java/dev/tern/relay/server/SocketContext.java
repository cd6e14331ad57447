package dev.tern.relay.server;

import dev.tern.relay.allocation.AllocationTable;
import dev.tern.relay.core.request.TurnCore;

/**
 * What the request handlers of one listening socket or connection share: the relay's runtime, the TURN core that
 * decides the socket's requests, the table of its allocations, their lifecycle and the credential checks.
 *
 * <p>Immutable; its parts are confined to the socket's event loop, as the handlers are.
 *
 * @param runtime what every socket of the relay shares
 * @param core decides the requests
 * @param table the socket's allocations by client
 * @param lifecycle expires and closes them
 * @param authentication checks credentials and answers refusals
 */
record SocketContext(RelayRuntime runtime, TurnCore core, AllocationTable table, AllocationLifecycle lifecycle,
        RequestAuthentication authentication) {
}
