package dev.tern.relay.peer;

import dev.tern.spi.AddressRange;
import dev.tern.spi.InvalidSettingException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Decides whether a relay may send to a peer address: the rules of PROTOCOL.md "Peer addresses a
 * relay must refuse by default".
 *
 * <ol>
 *   <li>Every IPv4-in-IPv6 form is reduced to its IPv4 address first: IPv4-mapped {@code ::ffff:0:0/96},
 *       IPv4-compatible {@code ::/96} (except {@code ::} and {@code ::1}, which are IPv6 addresses in their
 *       own right), SIIT {@code ::ffff:0:0:0/96} and NAT64 {@code 64:ff9b::/96}. A NAT64 address must pass
 *       both as itself (the NAT64 prefix is denied by default) and as its embedded IPv4 address.</li>
 *   <li>The never-relay set is refused even when allowed: {@code 0.0.0.0/8}, {@code ::/128}, Teredo
 *       {@code 2001::/32} and 6to4 {@code 2002::/16} (both tunnel to an IPv4 address of the sender's
 *       choosing).</li>
 *   <li>An address in {@code allowed_peers} is permitted.</li>
 *   <li>The recommended deny list, {@code denied_peers} and the relay's own addresses are refused.</li>
 *   <li>Everything else is permitted.</li>
 * </ol>
 *
 * <p>Immutable and thread-safe; {@link #permits(long, long)} and {@link #permitsIpv4(int)} allocate
 * nothing (binary search over primitive arrays). Bad config fails in {@link #create} with an
 * {@link InvalidSettingException} naming the entry.
 */
public final class PeerAddressFilter {

    /** Refused whatever the config says (CIDR blocks; immutable). */
    public static final List<String> NEVER_RELAY = List.of("0.0.0.0/8", "::/128", "2001::/32", "2002::/16");

    /**
     * Refused unless {@code allowed_peers} lists them (eturnal's "recommended" list; CIDR blocks;
     * immutable). Public so tools that configure other relays of a fleet refuse the same peers.
     */
    public static final List<String> RECOMMENDED_DENY = List.of(
            "127.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
            "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::1/128", "64:ff9b::/96", "100::/64", "fc00::/7", "fe80::/10", "ff00::/8");

    private static final long NAT64_HI = 0x0064_ff9b_0000_0000L;
    private static final long SIIT_LO_PREFIX = 0xFFFF_0000L;

    private final RangeSet never;
    private final RangeSet allowed;
    private final RangeSet denied;

    private PeerAddressFilter(RangeSet never, RangeSet allowed, RangeSet denied) {
        this.never = never;
        this.allowed = allowed;
        this.denied = denied;
    }

    /**
     * Builds a filter.
     *
     * @param allowedPeers entries ({@code 10.0.0.5}, {@code 10.0.0.0/8}, {@code 10.0.0.1-10.0.0.9}, IPv6 too)
     *     that override the default deny list, {@code denied_peers} and the relay's own addresses
     * @param deniedPeers entries refused in addition to the recommended deny list
     * @param relayOwnAddresses addresses the relay listens or relays on; a wildcard address stands for
     *     every address of every local interface
     * @throws InvalidSettingException naming {@code allowed_peers[i]} or {@code denied_peers[i]}
     */
    public static PeerAddressFilter create(List<String> allowedPeers, List<String> deniedPeers,
            Collection<InetAddress> relayOwnAddresses) {
        List<AddressRange> never = parseAll(NEVER_RELAY, "never_relay");
        List<AddressRange> allowed = parseAll(allowedPeers == null ? List.of() : allowedPeers, "allowed_peers");
        List<AddressRange> denied = new ArrayList<>(parseAll(RECOMMENDED_DENY, "recommended_deny"));
        denied.addAll(parseAll(deniedPeers == null ? List.of() : deniedPeers, "denied_peers"));
        for (InetAddress own : ownAddresses(relayOwnAddresses)) {
            long[] bits = AddressRange.bits(unwrap(own));
            denied.add(new AddressRange(bits[0], bits[1], bits[0], bits[1]));
        }
        return new PeerAddressFilter(new RangeSet(never), new RangeSet(allowed), new RangeSet(denied));
    }

    private static List<AddressRange> parseAll(List<String> entries, String key) {
        List<AddressRange> ranges = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            try {
                ranges.add(AddressRange.parse(entries.get(i)));
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(key + "[" + i + "]", e.getMessage());
            }
        }
        return ranges;
    }

    /** {@code given} with each wildcard address replaced by every address of every local interface. */
    static List<InetAddress> ownAddresses(Collection<InetAddress> given) {
        List<InetAddress> result = new ArrayList<>();
        for (InetAddress address : given == null ? List.<InetAddress>of() : given) {
            if (address.isAnyLocalAddress()) {
                result.addAll(interfaceAddresses());
            } else {
                result.add(address);
            }
        }
        return result;
    }

    private static List<InetAddress> interfaceAddresses() {
        List<InetAddress> result = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                result.addAll(Collections.list(nif.getInetAddresses()));
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list local interface addresses", e);
        }
        return result;
    }

    /** Whether the relay may send to {@code peer}. Never throws for any address; null is refused. */
    public boolean permits(InetAddress peer) {
        if (peer instanceof Inet4Address) {
            byte[] b = peer.getAddress();
            return permitsIpv4(AddressRange.toInt(b, 0));
        }
        if (peer instanceof Inet6Address) {
            byte[] b = peer.getAddress();
            return permits(AddressRange.toLong(b, 0), AddressRange.toLong(b, 8));
        }
        return false;
    }

    /** Whether the relay may send to the IPv4 address whose bits are {@code address}. */
    public boolean permitsIpv4(int address) {
        return decide(0, AddressRange.IPV4_MAPPED | (address & 0xFFFF_FFFFL));
    }

    /**
     * Whether the relay may send to the IPv6 address whose network-order bits are {@code hi}, {@code lo}
     * (an IPv4 address may be given in its mapped form).
     */
    public boolean permits(long hi, long lo) {
        if (hi == NAT64_HI && (lo >>> 32) == 0) {
            return decide(hi, lo) && decide(0, AddressRange.IPV4_MAPPED | lo);
        }
        if (hi == 0 && (wrappedIpv4(lo))) {
            return decide(0, AddressRange.IPV4_MAPPED | (lo & 0xFFFF_FFFFL));
        }
        return decide(hi, lo);
    }

    private boolean decide(long hi, long lo) {
        if (never.contains(hi, lo)) {
            return false;
        }
        return allowed.contains(hi, lo) || !denied.contains(hi, lo);
    }

    /** Whether {@code ::lo} (high half zero) carries an IPv4 address: mapped, compatible or SIIT. */
    private static boolean wrappedIpv4(long lo) {
        long top = lo >>> 32;
        return top == 0xFFFFL || top == SIIT_LO_PREFIX || (top == 0 && Long.compareUnsigned(lo, 1) > 0);
    }

    /**
     * Reduces an IPv4-in-IPv6 address (mapped, compatible, SIIT, NAT64) to its {@link Inet4Address};
     * any other address is returned as it is. Never throws for a non-null address.
     */
    public static InetAddress unwrap(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        long hi = AddressRange.toLong(b, 0);
        long lo = AddressRange.toLong(b, 8);
        boolean wrapped = (hi == 0 && wrappedIpv4(lo)) || (hi == NAT64_HI && (lo >>> 32) == 0);
        if (!wrapped) {
            return address;
        }
        try {
            return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an IPv4 address", e);
        }
    }
}
