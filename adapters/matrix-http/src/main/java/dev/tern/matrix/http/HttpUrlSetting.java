package dev.tern.matrix.http;

import dev.tern.spi.InvalidSettingException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Reads an {@code http://} or {@code https://} URL from config ({@code whoami.homeserver},
 * {@code well_known_upstream}). Stateless.
 */
public final class HttpUrlSetting {

    private HttpUrlSetting() {
    }

    /**
     * The URL, without a trailing slash.
     *
     * @throws InvalidSettingException naming {@code key} when the text is not an absolute http(s) URL with a
     *     host, no query and no fragment
     */
    public static URI parse(String key, String text, String example) {
        if (text == null || text.isBlank()) {
            throw new InvalidSettingException(key, "is required, like " + example);
        }
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new InvalidSettingException(key, "'" + text + "' is not an http(s) URL like " + example);
            }
            String s = uri.toString();
            return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(key, "'" + text + "' is not an http(s) URL like " + example);
        }
    }
}
