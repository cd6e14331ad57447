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
        CoreSettings settings = CoreSettings.builder()
                .serverName(runtime.serverName())
                .secureStun(runtime.secureStun())
                .lifetimes(new Lifetimes(runtime.defaultLifetime(), runtime.maxLifetime(), runtime.strictExpiry(),
                        runtime.clock()))
                .userQuota(runtime.userQuota())
                .maxPermissions(runtime.maxPermissions())
                .channelNumbers(runtime.channelNumbers())
                .families(new CoreSettings.RelayedFamilies(runtime.relayFamilies().ipv4().isPresent(),
                        runtime.relayFamilies().ipv6().isPresent(), runtime.relayFamilies().canSetDontFragment()))
                .build();
        return new TurnCore(settings, runtime.ownAddresses(), runtime.registry(), runtime.nanoTime());
    }
}
