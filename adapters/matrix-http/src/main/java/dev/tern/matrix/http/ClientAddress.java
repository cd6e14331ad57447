package dev.tern.matrix.http;

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

    private final List<CidrBlock> trustedProxies;

    ClientAddress(List<CidrBlock> trustedProxies) {
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

    private boolean trusted(InetAddress address) {
        for (CidrBlock block : trustedProxies) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
