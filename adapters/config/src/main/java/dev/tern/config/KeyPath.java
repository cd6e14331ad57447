package dev.tern.config;

/**
 * Spells key paths the way errors show them: {@code policy.sources[1].url}. Keys that contain a dot
 * are quoted: {@code matrix.well_known["m.homeserver"]}. Stateless.
 */
final class KeyPath {

    private KeyPath() {
    }

    static String key(String parent, String key) {
        if (key.indexOf('.') >= 0 || key.indexOf('[') >= 0 || key.isEmpty()) {
            return parent + "[\"" + key + "\"]";
        }
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** Joins a section path and a path relative to it ({@code secrets[0]}, {@code tls.cert_file}). */
    static String join(String parent, String relative) {
        if (relative.isEmpty()) {
            return parent;
        }
        if (parent.isEmpty() || relative.startsWith("[")) {
            return parent + relative;
        }
        return parent + "." + relative;
    }

    /** The parent of a path, or an empty string at the top. */
    static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? "" : path.substring(0, cut);
    }
}
