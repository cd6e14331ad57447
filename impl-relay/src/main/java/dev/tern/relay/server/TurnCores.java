package dev.tern.relay.server;

import dev.tern.relay.core.request.TurnCore;

/**
 * Builds the {@link TurnCore} a listening socket or connection decides its requests with, from the relay's runtime.
 */
final class TurnCores {

    private TurnCores() {
    }

    static TurnCore of(RelayRuntime runtime) {
        return new TurnCore(runtime.settings().turn(), runtime.planes().ownAddresses(), runtime.admission().registry(),
                runtime.nanoTime());
    }
}
