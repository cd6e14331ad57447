package dev.tern.admin.netty;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The admin server's paths: a request goes to the route with the longest path prefix that matches, through
 * that route's filters, as {@code com.sun.net.httpserver.HttpServer} contexts behave.
 *
 * <p>Immutable once built; thread-safe to {@link #find} from any thread.
 */
public final class AdminRoutes {

    /** A path prefix with its handler and the filters in front of it. */
    public record Route(String prefix, HttpHandler handler, List<Filter> filters) {
        public Route {
            filters = List.copyOf(filters);
        }
    }

    private final List<Route> routes;

    private AdminRoutes(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** Routes are added in any order; the longest matching prefix wins. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        /** Adds {@code prefix} (like {@code /admin/api/}) with a handler and, optionally, a filter in front. */
        public Builder route(String prefix, HttpHandler handler, Optional<Filter> filter) {
            routes.add(new Route(prefix, handler, filter.map(List::of).orElse(List.of())));
            return this;
        }

        public AdminRoutes build() {
            return new AdminRoutes(routes);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The route for {@code path}, if one's prefix matches. */
    public Optional<Route> find(String path) {
        Route best = null;
        for (Route r : routes) {
            if (path.startsWith(r.prefix()) && (best == null || r.prefix().length() > best.prefix().length())) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }
}
