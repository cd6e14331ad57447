package dev.tern.relay.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.relay.shared.FirstBytes.Verdict;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FirstBytesTest {

    private static Verdict ascii(String text) {
        return of(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    private static Verdict hex(String hex) {
        return of(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex)));
    }

    private static Verdict of(ByteBuf buf) {
        try {
            int before = buf.readerIndex();
            Verdict v = FirstBytes.classify(buf);
            assertEquals(before, buf.readerIndex(), "nothing consumed");
            return v;
        } finally {
            buf.release();
        }
    }

    @Test
    void aStunHeaderWithTheMagicCookieIsTurn() {
        assertEquals(Verdict.TURN, hex("000300002112a442b7e7a701"));
        assertEquals(Verdict.TURN, hex("000100002112a442"));
    }

    @Test
    void aLowFirstByteWithoutTheCookieIsGarbage() {
        assertEquals(Verdict.GARBAGE, hex("0003000012345678"));
    }

    @Test
    void waitsForEightBytesOfAStunHeader() {
        assertEquals(Verdict.MORE, hex("0003000021"));
        assertEquals(Verdict.MORE, hex(""));
    }

    @Test
    void requestLinesOfEveryMethodAreHttp11EvenWhereTheyLookLikeChannelData() {
        // 'G' (0x47) and 'P' (0x50) are in ChannelData's first-byte range: the method decides.
        for (String method : new String[] {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE",
                "CONNECT"}) {
            assertEquals(Verdict.HTTP_1_1, ascii(method + " / HTTP/1.1\r\n"), method);
        }
    }

    @Test
    void theHttp2PrefaceIsHttp2() {
        assertEquals(Verdict.HTTP_2, ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    }

    @Test
    void aPrefixOfAMethodWaitsForMore() {
        assertEquals(Verdict.MORE, ascii("G"));
        assertEquals(Verdict.MORE, ascii("OPTIO"));
        assertEquals(Verdict.MORE, ascii("PR"));
    }

    @Test
    void channelDataThatIsNoMethodIsTurn() {
        assertEquals(Verdict.TURN, hex("40010004deadbeef"));
        assertEquals(Verdict.TURN, ascii("GXT "), "G then no method: ChannelData 0x4758");
    }

    @Test
    void aHighFirstByteIsGarbage() {
        assertEquals(Verdict.GARBAGE, hex("ff00"));
        assertEquals(Verdict.GARBAGE, hex("16030102000100fc"), "a second TLS handshake inside TLS: no cookie");
    }
}
