package dev.tern.relay.drain;

import dev.tern.spi.Transport;
import dev.tern.spi.TurnUri;
import dev.tern.spi.Fleet;
import dev.tern.spi.LiveRelays;
import dev.tern.spi.RelayStatus;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a draining relay sends a client whose Allocate it refuses: the ALTERNATE-SERVER of its 300 Try Alternate
 * (RFC 8489 section 10, RFC 8656 section 7.2). The alternate is a live relay of the fleet other than this one that
 * takes new allocations, reached over the client's transport and in its address family, the least loaded first
 * ({@link LiveRelays#LEAST_LOADED}); empty when the fleet has none (the relay then answers 508 as it did).
 *
 * <p>Only URIs whose host is an IP literal qualify: ALTERNATE-SERVER carries an address, and resolving a name
 * here would block the event loop. No ALTERNATE-DOMAIN is sent, so a TLS client checks the alternate's
 * certificate against the name it first connected to: the relays of a fleet share one certificate name.
 *
 * <p>Thread-safe; reads the fleet's local cache only, never blocks. A relay URI that does not parse is skipped.
 */
public final class AlternateRelays {

    /** No fleet: never an alternate. */
    public static final AlternateRelays NONE = new AlternateRelays(Fleet.NONE);

    private final Fleet fleet;

    public AlternateRelays(Fleet fleet) {
        this.fleet = Objects.requireNonNull(fleet, "fleet");
    }

    /**
     * The transport address of the least loaded live relay that serves {@code transport} in the family of
     * {@code client}, this relay excluded.
     */
    public Optional<InetSocketAddress> choose(Transport transport, InetAddress client) {
        return choose(fleet.liveRelays(), fleet.relayId(), transport, client);
    }

    /** The choice itself, from a list of live relays: what {@link #choose(Transport, InetAddress)} does. */
    static Optional<InetSocketAddress> choose(List<RelayStatus> live, String self, Transport transport,
            InetAddress client) {
        for (RelayStatus relay : LiveRelays.acceptingLeastLoadedFirst(live)) {
            if (relay.relayId().equals(self)) {
                continue;
            }
            for (URI uri : relay.uris()) {
                Optional<InetSocketAddress> address = address(uri, transport, client);
                if (address.isPresent()) {
                    return address;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<InetSocketAddress> address(URI uri, Transport transport, InetAddress client) {
        TurnUri turn;
        try {
            turn = TurnUri.parse(uri.toString());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (turn.clientTransport() != transport || !isIpLiteral(turn.host())) {
            return Optional.empty();
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByName(turn.host()); // an IP literal: no lookup
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        if (ip.isAnyLocalAddress() || (ip instanceof Inet4Address) != (client instanceof Inet4Address)) {
            return Optional.empty();
        }
        return Optional.of(new InetSocketAddress(ip, turn.effectivePort()));
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
    }
}
