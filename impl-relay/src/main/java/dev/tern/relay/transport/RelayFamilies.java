package dev.tern.relay.transport;

import dev.tern.relay.RelayConfig;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The address families the relay relays (IPv4, IPv6 or both, RFC 8656 section 7.2): for each, the
 * binder of its relay ports and the address advertised for them.
 *
 * <p>Immutable and thread-safe.
 */
public final class RelayFamilies {

    /**
     * One family's relay side.
     *
     * @param advertised the address put in XOR-RELAYED-ADDRESS
     * @param binder binds relay sockets of this family
     */
    public record Family(InetAddress advertised, RelayPortBinder binder) {
    }

    private final Family ipv4;
    private final Family ipv6;

    private RelayFamilies(Family ipv4, Family ipv6) {
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
    }

    /** Binders for {@code addresses} (at most one per family), each over the whole port range. */
    public static RelayFamilies of(EventLoops transport, List<RelayConfig.RelayAddress> addresses,
            RelayConfig.PortRange ports) {
        Family ipv4 = null;
        Family ipv6 = null;
        for (RelayConfig.RelayAddress a : addresses) {
            Family f = new Family(a.advertised(), new RelayPortBinder(transport, a.bind(), ports.low(), ports.high()));
            if (a.bind() instanceof Inet4Address) {
                ipv4 = f;
            } else {
                ipv6 = f;
            }
        }
        if (ipv4 == null && ipv6 == null) {
            throw new IllegalArgumentException("no relay address");
        }
        return new RelayFamilies(ipv4, ipv6);
    }

    /** The IPv4 side, if the relay has an IPv4 relay address. */
    public Optional<Family> ipv4() {
        return Optional.ofNullable(ipv4);
    }

    /** The IPv6 side, if the relay has an IPv6 relay address. */
    public Optional<Family> ipv6() {
        return Optional.ofNullable(ipv6);
    }

    /** Whether relay sockets can be made to set DF (DONT-FRAGMENT): the transport decides, for every family alike. */
    public boolean canSetDontFragment() {
        return (ipv4 != null ? ipv4 : ipv6).binder().canSetDontFragment();
    }

    /** The side of {@code address}'s family, if the relay has one. */
    public Optional<Family> of(InetAddress address) {
        return address instanceof Inet4Address ? ipv4() : ipv6();
    }
}
