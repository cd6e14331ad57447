package dev.tern.admin.netty;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One admin request as a {@code com.sun.net.httpserver.HttpExchange}, so the admin handlers run unchanged on
 * Netty: the request is complete before the handler starts (aggregated, bodies up to the aggregator's cap),
 * the response is buffered and handed over once, when the handler closes the exchange.
 *
 * <p>Not thread-safe: one handler thread uses it. {@link #getHttpContext()} and {@link #getPrincipal()} answer
 * {@code null}: no admin handler asks for them.
 */
final class BufferedExchange extends HttpExchange {

    /** What the handler answered: status, headers and body ({@code null} body for none, as with length -1). */
    record Answer(int status, Headers headers, byte[] body) {
    }

    /** The aggregated request: its line, its headers (each name with its values) and its whole body. */
    record Request(String method, URI uri, String protocol, Map<String, List<String>> headers, byte[] body) {
    }

    /** The connection's two ends: the client's address and the admin listener's own. */
    record Endpoints(InetSocketAddress remote, InetSocketAddress local) {
    }

    private final String method;
    private final URI uri;
    private final String protocol;
    private final Headers requestHeaders;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final Consumer<Answer> sink;
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private InputStream in;
    private OutputStream out;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int status = -1;
    private boolean noBody;
    private boolean answered;

    /**
     * @param sink receives the answer exactly once, when the exchange is closed (500 if the handler never
     *     sent headers)
     */
    BufferedExchange(Request request, Endpoints endpoints, Consumer<Answer> sink) {
        this.method = request.method();
        this.uri = request.uri();
        this.protocol = request.protocol();
        this.requestHeaders = new Headers();
        // One add per value: Headers.add normalizes the name (HTTP/2 sends "authorization"), putAll does not.
        request.headers().forEach((name, values) -> values.forEach(value -> this.requestHeaders.add(name, value)));
        this.remote = endpoints.remote();
        this.local = endpoints.local();
        this.sink = sink;
        this.in = new ByteArrayInputStream(request.body());
        this.out = body;
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return uri;
    }

    @Override
    public String getRequestMethod() {
        return method;
    }

    @Override
    public HttpContext getHttpContext() {
        return null;
    }

    @Override
    public void close() {
        if (answered) {
            return;
        }
        answered = true;
        if (status < 0) {
            sink.accept(new Answer(500, new Headers(), null));
        } else {
            sink.accept(new Answer(status, responseHeaders, noBody ? null : body.toByteArray()));
        }
    }

    @Override
    public InputStream getRequestBody() {
        return in;
    }

    @Override
    public OutputStream getResponseBody() {
        return out;
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) {
        if (status >= 0) {
            throw new IllegalStateException("response headers already sent");
        }
        status = rCode;
        noBody = responseLength == -1;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return remote;
    }

    @Override
    public int getResponseCode() {
        return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return local;
    }

    @Override
    public String getProtocol() {
        return protocol;
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        if (i != null) {
            in = i;
        }
        if (o != null) {
            out = o;
        }
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }
}
