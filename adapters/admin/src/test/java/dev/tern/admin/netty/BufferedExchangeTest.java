package dev.tern.admin.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BufferedExchangeTest {

    @Test
    void findsHeadersSentInLowerCaseAsHttp2SendsThem() {
        BufferedExchange exchange = new BufferedExchange(new BufferedExchange.Request("GET", URI.create("/metrics"),
                "HTTP/1.1", Map.of("authorization", List.of("Bearer t")), new byte[0]),
                new BufferedExchange.Endpoints(new InetSocketAddress(0), new InetSocketAddress(0)), answer -> { });
        assertEquals("Bearer t", exchange.getRequestHeaders().getFirst("Authorization"));
    }
}
