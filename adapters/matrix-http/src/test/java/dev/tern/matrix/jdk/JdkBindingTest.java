package dev.tern.matrix.jdk;

import com.sun.net.httpserver.HttpServer;
import dev.tern.matrix.http.BindingContract;
import dev.tern.matrix.http.MatrixEndpoints;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

class JdkBindingTest extends BindingContract {

    private HttpServer server;
    private ExecutorService executor;

    @Override
    protected URI start(MatrixEndpoints endpoints) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        executor = Executors.newFixedThreadPool(2);
        server.setExecutor(executor);
        server.createContext("/", new MatrixExchangeHandler(endpoints));
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Over the JDK's own limit ({@code sun.net.httpserver.maxReqHeaderSize}, 384 KiB by default). */
    @Override
    protected int oversizedHeaderBytes() {
        return 500_000;
    }

    /** The JDK's server cannot be told to answer 431: it drops the connection without a response. */
    @Override
    protected void assertOversizedRefused(String answer) {
        org.junit.jupiter.api.Assertions.assertEquals("", answer);
    }

    @Override
    protected void stop() {
        server.stop(0);
        executor.shutdownNow();
    }
}
