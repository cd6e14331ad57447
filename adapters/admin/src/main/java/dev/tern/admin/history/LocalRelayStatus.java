package dev.tern.admin.history;

import dev.tern.host.RelayStatusSampler;
import dev.tern.spi.RelayServer;
import dev.tern.spi.RelayStatus;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * This relay's figures when it runs without a fleet, as the one-element list {@link RelayHistory} samples: live
 * allocations and the bit rate relayed (both planes, both directions) since the previous call. Empty without a
 * relay. Thread-safe (calls are serialized).
 */
public final class LocalRelayStatus implements Supplier<List<RelayStatus>> {

    private final Optional<RelayServer> relay;
    private final Optional<RelayStatusSampler> sampler;

    public LocalRelayStatus(Optional<RelayServer> relay, Clock clock) {
        this.relay = relay;
        this.sampler = relay.map(r -> new RelayStatusSampler(r, clock));
    }

    @Override
    public List<RelayStatus> get() {
        if (relay.isEmpty()) {
            return List.of();
        }
        List<URI> uris = relay.get().listenUris();
        String id = uris.isEmpty() ? "this relay" : uris.get(0).getAuthority();
        return List.of(sampler.get().sample(id, uris, false));
    }
}
