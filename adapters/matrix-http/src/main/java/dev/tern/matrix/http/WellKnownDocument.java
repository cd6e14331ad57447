package dev.tern.matrix.http;

import dev.tern.api.Tern;
import dev.tern.spi.InvalidSettingException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rules of a {@code /.well-known/matrix/client} document: an object with {@code m.homeserver.base_url},
 * and how the MSC4096 flag goes into it. Stateless.
 */
final class WellKnownDocument {

    private WellKnownDocument() {
    }

    /**
     * An unmodifiable copy of the document, checked.
     *
     * @throws InvalidSettingException naming {@code key} when it is absent or lacks {@code m.homeserver.base_url}
     */
    static Map<String, Object> validate(String key, Map<String, Object> document) {
        if (document == null) {
            throw new InvalidSettingException(key, "is required, like {m.homeserver: {base_url: \"https://matrix.example.org\"}}");
        }
        if (!hasBaseUrl(document)) {
            throw new InvalidSettingException(key, "needs m.homeserver.base_url as a string (the spec requires it), "
                    + "like {m.homeserver: {base_url: \"https://matrix.example.org\"}}");
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(document));
    }

    /** Whether the document has a string {@code m.homeserver.base_url}. */
    static boolean hasBaseUrl(Map<?, ?> document) {
        return document.get("m.homeserver") instanceof Map<?, ?> homeserver
                && homeserver.get("base_url") instanceof String url && !url.isBlank();
    }

    /**
     * The document with the flag as policy says: {@code true} when forced; when not forced, {@code false}
     * or no key at all. Any flag the input had is replaced (Tern's policy decides it); every other key stays.
     */
    static Map<String, Object> withForceTurn(Map<String, Object> document, boolean forced, boolean falseWhenNotForced) {
        Map<String, Object> merged = new LinkedHashMap<>(document);
        merged.remove(Tern.FORCE_TURN_KEY);
        if (forced || falseWhenNotForced) {
            merged.put(Tern.FORCE_TURN_KEY, forced);
        }
        return merged;
    }
}
