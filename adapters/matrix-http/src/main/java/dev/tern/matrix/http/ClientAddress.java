package dev.tern.matrix.http;

import dev.tern.spi.AddressRange;
import java.net.InetAddress;
import java.util.List;

/**
 * Finds the client's address behind trusted reverse proxies: when the TCP peer is a trusted proxy, the
 * {@code X-Forwarded-For} entries are read from the right (the nearest hop) and the first one that is not
 * itself a trusted proxy is the client. From an untrusted peer the header is ignored: anyone can write it.
 *
 * <p>Immutable and thread-safe. Garbage in the header stops the walk at the last address known good.
 */
final class ClientAddress {

    private final List<AddressRange> trustedProxies;

    ClientAddress(List<AddressRange> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    InetAddress of(MatrixRequest request) {
        InetAddress client = request.remoteAddress();
        if (!trusted(client)) {
            return client;
        }
        List<String> values = request.headerValues("X-Forwarded-For");
        for (int v = values.size() - 1; v >= 0; v--) {
            String[] hops = values.get(v).split(",");
            for (int h = hops.length - 1; h >= 0; h--) {
                var hop = IpLiteral.parse(hops[h]);
                if (hop.isEmpty()) {
                    return client;
                }
                client = hop.get();
                if (!trusted(client)) {
                    return client;
                }
            }
        }
        return client;
    }

    /**
     * The key a per-address limit counts {@code address} under: an IPv4 address itself (an IPv4-mapped IPv6
     * address as IPv4), an IPv6 address by the /64 it is in, since one subscriber usually has a whole /64 and
     * could otherwise take a fresh address for every request.
     */
    static String limitKey(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return address.getHostAddress();
        }
        boolean mapped = true;
        for (int i = 0; i < 12; i++) {
            mapped &= bytes[i] == (i < 10 ? 0 : (byte) 0xff);
        }
        if (mapped) {
            return (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff);
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            key.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
        }
        return key.append(":/64").toString();
    }

    /** Whether {@code address} is one of the trusted reverse proxies, whose forwarding headers are believed. */
    boolean isTrustedProxy(InetAddress address) {
        return trusted(address);
    }

    private boolean trusted(InetAddress address) {
        for (AddressRange block : trustedProxies) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
