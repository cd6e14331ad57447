package dev.tern.matrix.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the endpoints' responses: JSON bodies, Matrix errors ({@code {"errcode", "error"}}), and the headers
 * every response carries ({@code Content-Type}, {@code Cache-Control}, CORS).
 *
 * <p>Immutable and thread-safe.
 */
public final class MatrixResponses {

    /** {@code Access-Control-Allow-*} as the Matrix spec lists them. */
    static final Map<String, String> CORS = corsHeaders();

    private final ObjectMapper json = new ObjectMapper();
    private final boolean cors;

    /** @param cors whether responses carry the CORS headers */
    public MatrixResponses(boolean cors) {
        this.cors = cors;
    }

    /** A JSON response. {@code cacheControl} is the {@code Cache-Control} value. */
    public MatrixResponse json(int status, Object body, String cacheControl, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Cache-Control", cacheControl);
        if (cors) {
            headers.putAll(CORS);
        }
        headers.putAll(extraHeaders);
        return new MatrixResponse(status, headers, bytes(body));
    }

    /** A Matrix error, never cached. */
    public MatrixResponse error(int status, String errcode, String message) {
        return error(status, errcode, message, Map.of(), Map.of());
    }

    /** A Matrix error with extra body fields (like {@code retry_after_ms}) and headers. */
    public MatrixResponse error(int status, String errcode, String message, Map<String, Object> extraFields,
            Map<String, String> extraHeaders) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errcode", errcode);
        body.put("error", message);
        body.putAll(extraFields);
        return json(status, body, "no-store", extraHeaders);
    }

    private byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            // Only maps of strings, numbers, booleans, lists and maps get here; none fails to serialize.
            throw new IllegalStateException("cannot write a JSON body", e);
        }
    }

    private static Map<String, String> corsHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Access-Control-Allow-Origin", "*");
        h.put("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
        h.put("Access-Control-Allow-Headers", "X-Requested-With, Content-Type, Authorization");
        return java.util.Collections.unmodifiableMap(h);
    }
}
