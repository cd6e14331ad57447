package dev.tern.admin.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Serves the admin page from the jar ({@code dev/tern/admin/page/}): {@code /admin} is the HTML page,
 * {@code /admin/<file>} its script and style sheet. Only the files listed here are served; anything
 * else is 404. The files hold no data (the page fetches it from {@code /admin/api/*} with the admin
 * token), so they are served without the token.
 *
 * <p>Thread-safe; the files are read once, when the handler is created.
 */
public final class AdminPageHandler implements HttpHandler {

    private static final String BASE = "/dev/tern/admin/page/";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "admin.js", "text/javascript; charset=utf-8",
            "call-test.js", "text/javascript; charset=utf-8",
            "admin.css", "text/css; charset=utf-8");
    /** The page talks to its own origin and to whichever Matrix server the admin names for the call test. */
    private static final String CSP = "default-src 'self'; connect-src *; img-src 'self' data:; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private final Map<String, byte[]> contents;

    public AdminPageHandler() {
        Map<String, byte[]> loaded = new java.util.HashMap<>();
        FILES.keySet().forEach(name -> loaded.put(name, load(name)));
        this.contents = Map.copyOf(loaded);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String name = path.equals("/admin") || path.equals("/admin/") ? "index.html"
                : path.startsWith("/admin/") ? path.substring("/admin/".length()) : "";
        byte[] body = contents.get(name);
        if (body == null) {
            Responses.text(exchange, 404, "not found\n");
            return;
        }
        if (!Responses.requireGet(exchange)) {
            return;
        }
        exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        Responses.send(exchange, 200, FILES.get(name), body);
    }

    private static byte[] load(String name) {
        try (InputStream in = AdminPageHandler.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("the admin page file " + BASE + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
