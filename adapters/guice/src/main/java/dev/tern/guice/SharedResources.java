package dev.tern.guice;

import com.google.inject.Inject;
import java.net.http.HttpClient;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every module shares and {@link TernLifecycle} releases last: the scheduler, shut down, and the HTTP client,
 * closed when Tern made it (a {@code LazyHttpClient}; one the host bound stays the host's to close). Injected by
 * Guice; a plain value otherwise.
 *
 * @param scheduler the shared scheduler
 * @param http the shared HTTP client
 */
record SharedResources(ScheduledExecutorService scheduler, HttpClient http) {

    @Inject
    SharedResources {
    }
}
