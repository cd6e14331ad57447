package dev.tern.guice;

import com.google.inject.Inject;
import dev.tern.spi.Fleet;
import dev.tern.spi.RelayServer;
import java.time.Clock;
import java.util.Optional;

/**
 * What {@link TernLifecycle} starts and stops first: the relay this process runs, if any, the fleet it joins
 * ({@link Fleet#NONE} without one) and the clock its heartbeats are stamped with. Injected by Guice; a plain
 * value otherwise.
 *
 * @param relay the relay of the {@code relay} section, or the host's own binding, if any
 * @param fleet the fleet the relay joins once started
 * @param clock when the relay's heartbeats say they were published
 */
record RelayInFleet(Optional<RelayServer> relay, Fleet fleet, Clock clock) {

    @Inject
    RelayInFleet {
    }
}
