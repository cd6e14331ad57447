package dev.tern.matrix.servlet;

import dev.tern.matrix.http.MatrixEndpoints;
import dev.tern.matrix.http.MatrixRequest;
import dev.tern.matrix.http.MatrixResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jakarta Servlet 6 binding: mount it at {@code /*} (or at {@code /_matrix/client/*} and
 * {@code /.well-known/matrix/*}) with async support on; paths are read relative to the context path. Each
 * request is answered asynchronously, so no container thread waits for policy or the homeserver.
 *
 * <p>Thread-safe (one instance serves every request).
 *
 * <p>Connections are the servlet container's: {@code matrix.connections} (caps, header deadline, idle timeout) applies
 * only to {@link dev.tern.matrix.netty.MatrixHttpServer}; set the equivalent limits on the host's server. The
 * lines a client can cause are throttled here as in every binding (they are logged by {@code MatrixEndpoints}).
 */
public final class MatrixServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MatrixServlet.class);
    private static final long ASYNC_TIMEOUT_MS = 60_000;

    private final transient MatrixEndpoints endpoints;

    public MatrixServlet(MatrixEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        MatrixRequest matrixRequest = toMatrix(request);
        AsyncContext async = request.startAsync();
        async.setTimeout(ASYNC_TIMEOUT_MS);
        endpoints.handle(matrixRequest).thenAccept(answer -> {
            try {
                write((HttpServletResponse) async.getResponse(), answer);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Could not write the answer to {}: {}", matrixRequest, e.getClass().getSimpleName());
            } finally {
                async.complete();
            }
        });
    }

    private static MatrixRequest toMatrix(HttpServletRequest request) throws UnknownHostException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, Collections.list(request.getHeaders(name)));
        }
        // The container gives the peer as a numeric literal, so this parses and never looks up a name.
        InetAddress remote = InetAddress.getByName(request.getRemoteAddr());
        return new MatrixRequest(request.getMethod(), path, request.getQueryString(), headers, remote);
    }

    private static void write(HttpServletResponse response, MatrixResponse answer) throws IOException {
        response.setStatus(answer.status());
        answer.headers().forEach(response::setHeader);
        response.setContentLength(answer.bodyLength());
        response.getOutputStream().write(answer.body());
    }
}
