package dev.tern.credentials;

import dev.tern.spi.TurnUri;
import dev.tern.spi.InvalidSettingException;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates the {@code uris} list of a credentials section: every entry must be a {@link TurnUri}.
 *
 * <p>Stateless and thread-safe.
 */
public final class UriList {

    private UriList() {
    }

    /**
     * The URIs in canonical form, in config order; an absent list is empty.
     *
     * @throws InvalidSettingException naming {@code uris[i]} and quoting the bad URI
     */
    public static List<String> validate(List<String> uris) {
        if (uris == null) {
            return List.of();
        }
        List<String> canonical = new ArrayList<>(uris.size());
        for (int i = 0; i < uris.size(); i++) {
            String uri = uris.get(i);
            if (uri == null) {
                throw new InvalidSettingException("uris[" + i + "]", "is empty; expected a turn: or turns: URI");
            }
            try {
                canonical.add(TurnUri.parse(uri.trim()).toString());
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException("uris[" + i + "]", e.getMessage());
            }
        }
        return List.copyOf(canonical);
    }
}
