package dev.tern.matrix.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a client's access token comes from: {@code Authorization: Bearer <token>}, or the deprecated
 * {@code ?access_token=} query parameter. Like Synapse, a request that gives both, or gives either twice, or an
 * {@code Authorization} header of another scheme, has no usable token.
 *
 * <p>Stateless. Never logs or returns in a message the token.
 */
final class RequestToken {

    private RequestToken() {
    }

    /**
     * The token, or a message saying why there is none (safe to send to the client).
     *
     * @param token the token when found
     * @param problem why not, when not found
     */
    record Found(Optional<String> token, String problem) {
    }

    static Found from(MatrixRequest request) {
        List<String> authorization = request.headerValues("Authorization");
        List<String> query = queryValues(request.query(), "access_token");
        if (!authorization.isEmpty() && !query.isEmpty()) {
            return missing("Mixing Authorization headers and access_token query parameters.");
        }
        if (authorization.size() > 1 || query.size() > 1) {
            return missing("Too many access tokens given.");
        }
        if (authorization.size() == 1) {
            String value = authorization.get(0).strip();
            int space = value.indexOf(' ');
            if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")
                    || value.substring(space + 1).isBlank()) {
                return missing("Invalid Authorization header: expected 'Bearer <access token>'.");
            }
            return new Found(Optional.of(value.substring(space + 1).strip()), "");
        }
        if (query.size() == 1 && !query.get(0).isEmpty()) {
            return new Found(Optional.of(query.get(0)), "");
        }
        return missing("Missing access token.");
    }

    private static Found missing(String problem) {
        return new Found(Optional.empty(), problem);
    }

    private static List<String> queryValues(String query, String name) {
        List<String> values = new java.util.ArrayList<>();
        if (query.isEmpty()) {
            return values;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (decode(key).equals(name)) {
                values.add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return values;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return ""; // a broken escape is no token
        }
    }
}
