package dev.tern.relay.server;

import dev.tern.relay.core.request.CoreSettings;
import dev.tern.relay.core.request.Lifetimes;
import dev.tern.relay.core.request.TurnCore;

/**
 * Builds the {@link TurnCore} a listening socket or connection decides its requests with, from the relay's runtime.
 */
final class TurnCores {

    private TurnCores() {
    }

    static TurnCore of(RelayRuntime runtime) {
        CoreSettings settings = new CoreSettings(runtime.serverName(), runtime.secureStun(),
                new Lifetimes(runtime.defaultLifetime(), runtime.maxLifetime(), runtime.strictExpiry(),
                        runtime.clock()),
                runtime.userQuota(), runtime.maxPermissions(), runtime.channelNumbers(),
                new CoreSettings.RelayedFamilies(runtime.relayFamilies().ipv4().isPresent(),
                        runtime.relayFamilies().ipv6().isPresent(), runtime.relayFamilies().canSetDontFragment()));
        return new TurnCore(settings, runtime.ownAddresses(), runtime.registry(), runtime.nanoTime());
    }
}
