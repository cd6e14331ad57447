package dev.tern.matrix.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a binding writes back: a status, headers and a JSON body.
 *
 * <p>Immutable and thread-safe ({@link #body()} returns a copy).
 *
 * @param status the HTTP status
 * @param headers header name to value, in the order to write them ({@code Content-Type} included)
 * @param body the body bytes (UTF-8 JSON)
 */
public record MatrixResponse(int status, Map<String, String> headers, byte[] body) {

    public MatrixResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = Objects.requireNonNull(body, "body").clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body length in bytes, without copying. */
    public int bodyLength() {
        return body.length;
    }

    /** The body as text, for tests and logs of non-secret bodies. */
    public String bodyText() {
        return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MatrixResponse other && status == other.status && headers.equals(other.headers)
                && java.util.Arrays.equals(body, other.body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * status + headers.hashCode()) + java.util.Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        // Never the body: it may hold a TURN password.
        return "MatrixResponse[" + status + ", " + body.length + " bytes]";
    }
}
