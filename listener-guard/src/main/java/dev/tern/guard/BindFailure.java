package dev.tern.guard;

/**
 * The one line a listener that cannot bind reports, like {@code udp://127.0.0.1:3478: address already in use}:
 * the listener first, then what the operating system said, without Netty's or the JDK's wrapping
 * ({@code bind(..) failed with error(-98): Address already in use}).
 *
 * <p>Stateless and thread-safe.
 */
public final class BindFailure {

    private BindFailure() {
    }

    /**
     * @param listener the listener as the config names it, like {@code udp://127.0.0.1:3478}
     * @param failure what bind threw (any wrapping; the innermost cause is read)
     */
    public static String message(String listener, Throwable failure) {
        return listener + ": " + reason(failure);
    }

    /** What the operating system said, in lower case, like {@code address already in use}. */
    public static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // Netty's native transports: "bind(..) failed with error(-98): Address already in use"
        int colon = text.startsWith("bind(") ? text.indexOf("): ") : -1;
        if (colon >= 0) {
            text = text.substring(colon + 3);
        }
        // The JDK: "Address already in use" or "Address already in use: bind"
        if (text.endsWith(": bind")) {
            text = text.substring(0, text.length() - ": bind".length());
        }
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
}
