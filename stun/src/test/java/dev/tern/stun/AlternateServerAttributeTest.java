package dev.tern.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** ALTERNATE-SERVER (RFC 8489 section 14.15) has MAPPED-ADDRESS's layout: family, port and address, not XORed. */
class AlternateServerAttributeTest {

    private static final TransactionId TID = TransactionId.read(
            Unpooled.wrappedBuffer(HexFormat.of().parseHex("b7e7a701bc34d686fa87dfae")), 0);

    private static ByteBuf tryAlternate(InetSocketAddress alternate) {
        return StunMessageWriter.start(Unpooled.buffer(), StunMethod.ALLOCATE, StunClass.ERROR_RESPONSE, TID)
                .errorCode(300, "Try Alternate")
                .address(StunAttribute.ALTERNATE_SERVER, alternate)
                .finish();
    }

    private static String alternateServerHex(ByteBuf message) {
        StunMessage m = assertInstanceOf(StunParse.Parsed.class, StunMessage.parse(message)).message();
        assertEquals(StunClass.ERROR_RESPONSE, m.messageClass());
        return ByteBufUtil.hexDump(m.attribute(StunAttribute.ALTERNATE_SERVER).orElseThrow());
    }

    @Test
    void writesAnIpv4AlternateServerUnxored() throws Exception {
        ByteBuf message = tryAlternate(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
        // family 1, port 0x8055, 192.0.2.1: the plain bytes, where XOR-MAPPED-ADDRESS would have a147e112a643
        assertEquals("00018055c0000201", alternateServerHex(message));
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853),
                MappedAddress.decode(Unpooled.wrappedBuffer(HexFormat.of().parseHex("00018055c0000201"))).orElseThrow());
        message.release();
    }

    @Test
    void refusesAMalformedValue() {
        assertEquals(java.util.Optional.empty(), MappedAddress.decode(Unpooled.wrappedBuffer(
                HexFormat.of().parseHex("00038055c0000201"))));
        assertEquals(java.util.Optional.empty(), MappedAddress.decode(Unpooled.wrappedBuffer(
                HexFormat.of().parseHex("00018055c00002"))));
    }

    @Test
    void writesAnIpv6AlternateServerUnxored() throws Exception {
        ByteBuf message = tryAlternate(new InetSocketAddress(
                InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 3478));
        assertEquals("00020d9620010db8123456780011223344556677", alternateServerHex(message));
        message.release();
    }
}
