package dev.tern.relay.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tern.stun.TransactionId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ResponseCacheTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 5000);

    @Test
    void resendsTheStoredResponseOnlyForTheIdenticalRequest() {
        ResponseCache cache = new ResponseCache(10, 1_000);
        TransactionId tid = TransactionId.random();
        ByteBuf response = Unpooled.copiedBuffer(new byte[] {1, 2, 3});
        cache.store(CLIENT, tid, 42, response, 0);
        response.release();
        ResponseCache.Hit.Resend hit = assertInstanceOf(ResponseCache.Hit.Resend.class, cache.lookup(CLIENT, tid, 42, 1));
        assertEquals(3, hit.response().readableBytes());
        hit.response().release();
        assertInstanceOf(ResponseCache.Hit.Miss.class, cache.lookup(CLIENT, tid, 43, 1), "same id, other bytes");
        assertInstanceOf(ResponseCache.Hit.Miss.class, cache.lookup(CLIENT, tid, 42, 1_000), "expired");
        assertEquals(0, cache.size());
    }

    @Test
    void dropsRetransmissionsWhileARequestIsInProgressAndStaysBounded() {
        ResponseCache cache = new ResponseCache(3, 1_000);
        TransactionId tid = TransactionId.random();
        cache.markInProgress(CLIENT, tid, 7, 0);
        assertInstanceOf(ResponseCache.Hit.InProgress.class, cache.lookup(CLIENT, tid, 7, 1));
        for (int i = 0; i < 10; i++) {
            ByteBuf b = Unpooled.buffer(4).writeInt(i);
            cache.store(CLIENT, TransactionId.random(), i, b, 2);
            b.release();
        }
        assertEquals(3, cache.size());
        assertInstanceOf(ResponseCache.Hit.Miss.class, cache.lookup(CLIENT, tid, 7, 3), "the oldest went first");
        cache.clear();
        assertEquals(0, cache.size());
    }
}
