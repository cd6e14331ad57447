package dev.tern.matrix.http;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as a binding hands it to {@link MatrixEndpoints}: only what the endpoints read.
 *
 * <p>Immutable and thread-safe. Header names are compared case-insensitively.
 *
 * @param method the method as sent, like {@code GET}
 * @param path the raw (still percent-encoded) path, without the query, like {@code /_matrix/client/v3/voip/turnServer}
 * @param query the raw query string without {@code ?}, empty when there is none
 * @param headers header name to its values, in the order received
 * @param remoteAddress the address of the TCP peer (a proxy's, when behind one)
 */
public record MatrixRequest(String method, String path, String query, Map<String, List<String>> headers,
        InetAddress remoteAddress) {

    public MatrixRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = query == null ? "" : query;
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.merge(name, List.copyOf(values), (a, b) -> {
            List<String> all = new java.util.ArrayList<>(a);
            all.addAll(b);
            return List.copyOf(all);
        }));
        headers = java.util.Collections.unmodifiableMap(copy);
    }

    /** The first value of a header, if present. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Every value of a header, in order (empty when absent). */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** The method in upper case. */
    public String upperMethod() {
        return method.toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        // Never the query or headers: they may carry the access token.
        return "MatrixRequest[" + method + " " + path + " from " + remoteAddress.getHostAddress() + "]";
    }
}
