package dev.tern.admin;

import com.sun.net.httpserver.HttpServer;
import dev.tern.api.Tern;
import dev.tern.matrix.auth.fixed.StaticTokenVerifier;
import dev.tern.matrix.auth.fixed.StaticTokensConfig;
import dev.tern.matrix.http.MatrixConfig;
import dev.tern.matrix.http.MatrixEndpoints;
import dev.tern.matrix.jdk.MatrixExchangeHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The homeserver side for the call test: Tern's real Matrix endpoints ({@code tern-matrix-http}, its JDK
 * server binding, CORS on) on loopback, with one static access token for one user. Close it to stop it.
 */
final class TestHomeserver implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    TestHomeserver(Tern tern, String accessToken, String userId) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        MatrixConfig config = MatrixConfig.withWellKnown(
                Map.of("m.homeserver", Map.of("base_url", "http://127.0.0.1:" + server.getAddress().getPort())));
        MatrixEndpoints endpoints = new MatrixEndpoints(config, tern,
                new StaticTokenVerifier(StaticTokensConfig.shortForm(Map.of(accessToken, userId), List.of())),
                HttpClient.newHttpClient(), Clock.systemUTC());
        server.createContext("/", new MatrixExchangeHandler(endpoints));
        server.setExecutor(executor);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
