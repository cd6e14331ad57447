package dev.tern.matrix.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on a random loopback port playing a homeserver: whoami and well-known answers set by the
 * test, including junk and a hang (released on close so nothing outlives the test).
 */
public final class TestHomeserver implements AutoCloseable {

    /** What a path answers. */
    public record Answer(int status, String body, boolean hangs) {
        public static Answer json(int status, String body) {
            return new Answer(status, body, false);
        }

        public static Answer hang() {
            return new Answer(200, "", true);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, Answer> byToken = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    /** The Authorization headers received, for tests that check what was sent. */
    public final List<String> authorizations = new CopyOnWriteArrayList<>();

    public TestHomeserver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                authorizations.add(auth);
            }
            Answer answer = auth != null && byToken.containsKey(auth) ? byToken.get(auth)
                    : answers.getOrDefault(exchange.getRequestURI().getPath(), Answer.json(404, "{\"errcode\":\"M_UNRECOGNIZED\"}"));
            try (exchange) {
                if (answer.hangs()) {
                    closing.await(60, TimeUnit.SECONDS);
                    return;
                }
                byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    /** Sets what a path answers. */
    public TestHomeserver answer(String path, Answer answer) {
        answers.put(path, answer);
        return this;
    }

    /** Sets what any path answers to requests with this bearer token. */
    public TestHomeserver answerToken(String token, Answer answer) {
        byToken.put("Bearer " + token, answer);
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
