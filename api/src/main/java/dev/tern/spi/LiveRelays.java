package dev.tern.spi;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The relays of a fleet that take new allocations, least loaded first: the one order both the relay's
 * ALTERNATE-SERVER choice (a draining relay's 300 Try Alternate) and {@code /voip/turnServer} use.
 *
 * <p>A relay takes new allocations when it is not draining and, if it has a capacity, is below it.
 * "Least loaded" is fewest live allocations, then the lower relayed bit rate, then the relay id (so the
 * order is stable and every relay of a fleet agrees on it).
 *
 * <p>Stateless and thread-safe. Null arguments throw {@link NullPointerException}.
 */
public final class LiveRelays {

    /** Fewest allocations first, then the lower bit rate, then the relay id. */
    public static final Comparator<RelayStatus> LEAST_LOADED = Comparator
            .<RelayStatus>comparingInt(relay -> relay.load().allocations())
            .thenComparingLong(relay -> relay.load().relayedBitsPerSecond())
            .thenComparing(RelayStatus::relayId);

    private LiveRelays() {
    }

    /** Whether {@code relay} takes new allocations: not draining, and below its capacity when it has one. */
    public static boolean accepting(RelayStatus relay) {
        RelayStatus.Load load = relay.load();
        return !relay.draining() && (load.capacity() == 0 || load.allocations() < load.capacity());
    }

    /** The relays of {@code live} that take new allocations, least loaded first. */
    public static List<RelayStatus> acceptingLeastLoadedFirst(List<RelayStatus> live) {
        Objects.requireNonNull(live, "live");
        return live.stream().filter(LiveRelays::accepting).sorted(LEAST_LOADED).toList();
    }
}
