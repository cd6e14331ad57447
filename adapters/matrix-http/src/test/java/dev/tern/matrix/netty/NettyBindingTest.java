package dev.tern.matrix.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.guard.ListenerGuard;
import dev.tern.guard.ListenerLimits;
import dev.tern.matrix.http.BindingContract;
import dev.tern.matrix.http.MatrixConfig;
import dev.tern.matrix.http.MatrixEndpoints;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.MetricsRecorder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NettyBindingTest extends BindingContract {

    private MatrixHttpServer server;
    private MatrixEndpoints endpoints;

    @Override
    protected URI start(MatrixEndpoints endpoints) {
        this.endpoints = endpoints;
        server = MatrixHttpServer.start(endpoints, new InetSocketAddress("127.0.0.1", 0), 8192, guard());
        return URI.create("http://127.0.0.1:" + server.localAddress().getPort());
    }

    @Override
    protected void stop() {
        server.close();
    }

    @Test
    void answers431ForAHeaderBlockOverTheLimit() throws Exception {
        String answer = raw("GET /.well-known/matrix/client HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n", false);
        assertTrue(answer.startsWith("HTTP/1.1 431"), answer);
        assertTrue(answer.contains("M_UNKNOWN"), answer);
    }

    @Test
    void answers400ForGarbage() throws Exception {
        String answer = raw("\u0001\u0002 not http at all\r\n\r\n", true);
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertFalse(answer.contains("Exception"), answer);
    }

    @Test
    void keepsTheConnectionForSeveralRequests() throws Exception {
        String two = "GET /.well-known/matrix/client HTTP/1.1\r\nHost: x\r\n\r\n";
        String answer = raw(two + two.replace("GET", "OPTIONS") + "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", true);
        assertTrue(answer.contains("HTTP/1.1 404"), answer);
        assertTrue(answer.indexOf("HTTP/1.1 200") != answer.lastIndexOf("HTTP/1.1 200"), answer);
    }

    @Test
    void startsFromTheMatrixConfigAndNeedsListen() throws Exception {
        Map<String, Object> wellKnown = Map.of("m.homeserver", Map.of("base_url", "https://m.example.org"));
        MatrixConfig config = MatrixConfig.builder()
                .listen("127.0.0.1:0")
                .wellKnown(wellKnown)
                .maxHeaderSize(2048)
                .build();
        try (MatrixHttpServer second = MatrixHttpServer.start(endpoints, config, guard())) {
            assertTrue(second.localAddress().getPort() > 0);
            assertTrue(second.localAddress().getPort() != server.localAddress().getPort());
        }
        InvalidSettingException e = assertThrows(
                InvalidSettingException.class,
                () -> MatrixHttpServer.start(endpoints, MatrixConfig.withWellKnown(wellKnown), guard()));
        assertEquals("listen", e.key());
    }

    @Test
    void refusesToStartOnAPortInUse() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MatrixHttpServer.start(endpoints, server.localAddress(), 8192, guard()));
        assertTrue(e.getMessage().contains("127.0.0.1:" + server.localAddress().getPort()), e.getMessage());
    }

    @Test
    void closesAKeepAliveConnectionThatTricklesTheHeadersOfALaterRequest() throws Exception {
        ListenerGuard oneSecond = ListenerGuard.create("http",
                new ListenerLimits(null, null, java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(60)),
                Clock.systemUTC(), MetricsRecorder.NONE);
        try (MatrixHttpServer slow = MatrixHttpServer.start(endpoints, new InetSocketAddress("127.0.0.1", 0), 8192,
                oneSecond)) {
            dev.tern.testing.HeaderTrickle trickle = dev.tern.testing.HeaderTrickle.run(slow.localAddress(),
                    "GET /.well-known/matrix/client HTTP/1.1\r\nHost: x\r\n\r\n", java.time.Duration.ofMillis(200),
                    java.time.Duration.ofSeconds(8));
            assertTrue(trickle.answered(), "the first request is answered on the keep-alive connection");
            assertTrue(trickle.closed(), "the server closes a connection whose second request's headers never end: "
                    + trickle);
            // the 1 s deadline, with room for a loaded machine; far under the 60 s idle timeout the trickle defeats
            assertTrue(trickle.trickledFor().compareTo(java.time.Duration.ofSeconds(6)) < 0, trickle.toString());
        }
    }

    private static ListenerGuard guard() {
        return ListenerGuard.create("http", ListenerLimits.DEFAULT, Clock.systemUTC(), MetricsRecorder.NONE);
    }
}
