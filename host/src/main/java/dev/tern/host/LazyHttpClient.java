package dev.tern.host;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The shared {@link HttpClient} Tern makes, built on first use and closed when Tern stops (the Guice wiring's
 * {@code TernLifecycle.stop()}, a plain-Java host's {@link SimpleProviderContext#close()}) so that no thread of it
 * stays. Most deployments fetch nothing over HTTP (no {@code well-known} policy source, no
 * {@code whoami} tokens), so the JDK client is made only when a request is sent or a setting read.
 *
 * <p>{@link #close()} leaves no thread: the client runs its work on an executor of its own, shut down here, and its
 * selector thread is stopped. Java 21 gives {@code HttpClient} a {@code close()}, used when present; on Java 17 the
 * JDK stops the selector thread only once the client is garbage-collected (checked on 17.0.15: a client that sent
 * one request keeps {@code HttpClient-<id>-SelectorManager} alive until then), so the thread is interrupted, which
 * ends its loop ({@code SelectorManager.run} runs while not interrupted). The thread is found by the name the JDK
 * gives it, from the id the client's {@code toString()} ends with ({@code HttpClientImpl@hash(id)}), a format the
 * JDK keeps for its own tests. After {@code close()} every request fails with an {@link IllegalStateException}.
 *
 * <p>Thread-safe.
 */
public final class LazyHttpClient extends HttpClient implements AutoCloseable {

    private static final long CLOSE_WAIT_MILLIS = 2_000;

    /** The factory of the client {@link #madeByContext()} makes; private, so no host can pass it in. */
    private static final Function<Executor, HttpClient> CONTEXT_DEFAULTS =
            executor -> HttpClient.newBuilder().executor(executor).build();

    private final Function<Executor, HttpClient> factory;
    private HttpClient client;
    private ExecutorService executor;
    private boolean closed;

    /** @param factory builds the real client on first use, running its work on the executor it is given */
    public LazyHttpClient(Function<Executor, HttpClient> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /**
     * The client {@link SimpleProviderContext#of} makes, the JDK's defaults as {@link HttpClient#newHttpClient()}
     * but on an executor of its own, and marked so that the context closes it (and no client a host passed in).
     */
    static LazyHttpClient madeByContext() {
        return new LazyHttpClient(CONTEXT_DEFAULTS);
    }

    /** Whether {@link #madeByContext()} made it. */
    boolean isMadeByContext() {
        return factory == CONTEXT_DEFAULTS;
    }

    /** Whether the real client was built (a request was sent or a setting read). */
    public synchronized boolean built() {
        return client != null;
    }

    private synchronized HttpClient client() {
        if (closed) {
            throw new IllegalStateException("Tern's HTTP client is closed: Tern was stopped");
        }
        if (client == null) {
            executor = Executors.newCachedThreadPool(new NamedDaemonThreads());
            client = factory.apply(executor);
        }
        return client;
    }

    /** Stops the real client, if built, and its threads; waits for them, bounded. Idempotent. */
    @Override
    public void close() {
        HttpClient made;
        ExecutorService pool;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            made = client;
            pool = executor;
        }
        if (made == null) {
            return;
        }
        pool.shutdownNow();
        if (made instanceof AutoCloseable closable) { // Java 21 and later
            try {
                closable.close();
            } catch (Exception e) {
                throw new IllegalStateException("Could not close the HTTP client", e);
            }
        } else {
            stopSelectorThread(made);
        }
        try {
            pool.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stopSelectorThread(HttpClient made) {
        String text = made.toString();
        int open = text.lastIndexOf('(');
        if (open < 0 || !text.endsWith(")")) {
            return; // not the JDK's implementation: nothing of ours to stop
        }
        String name = "HttpClient-" + text.substring(open + 1, text.length() - 1) + "-SelectorManager";
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(name)) {
                thread.interrupt();
                try {
                    thread.join(CLOSE_WAIT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static final class NamedDaemonThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "tern-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return client().cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return client().connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return client().followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return client().proxy();
    }

    @Override
    public SSLContext sslContext() {
        return client().sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return client().sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return client().authenticator();
    }

    @Override
    public Version version() {
        return client().version();
    }

    @Override
    public Optional<Executor> executor() {
        return client().executor();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return client().send(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
            HttpResponse.BodyHandler<T> handler) {
        return client().sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return client().sendAsync(request, handler, pushPromiseHandler);
    }

    @Override
    public java.net.http.WebSocket.Builder newWebSocketBuilder() {
        return client().newWebSocketBuilder();
    }

    @Override
    public synchronized String toString() {
        HttpClient made = client;
        return made == null ? "LazyHttpClient[not built]" : made.toString();
    }
}
