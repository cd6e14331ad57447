package dev.tern.stun;

import io.netty.buffer.ByteBuf;

/**
 * TURN ChannelData framing (RFC 8656 section 12.4): a 2-byte channel number, a 2-byte length, then
 * the application data (padded to 4 bytes over TCP/TLS only).
 *
 * <p>RFC 8656 clients use channels 0x4000 to 0x4FFF; RFC 5766 allowed up to 0x7FFF and clients
 * written for it (coturn's own {@code turnutils_uclient} among them) still use the whole range. Framing
 * recognises the whole RFC 5766 range (first byte 64 to 127: the listening socket carries no DTLS or
 * RTP, so nothing else can start that way); which numbers ChannelBind accepts is {@link ChannelNumbers}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ChannelData {

    /** The ChannelData header size. */
    public static final int HEADER_LENGTH = 4;
    /** The lowest channel number. */
    public static final int MIN_CHANNEL = 0x4000;
    /** The highest channel number ChannelData can carry (RFC 5766's limit). */
    public static final int MAX_CHANNEL = 0x7FFF;
    /** The highest channel number RFC 8656 clients use. */
    public static final int RFC8656_MAX_CHANNEL = 0x4FFF;

    private ChannelData() {
    }

    /** Whether the readable bytes start like ChannelData (first byte 64 to 127). */
    public static boolean looksLikeChannelData(ByteBuf buf) {
        if (buf.readableBytes() < HEADER_LENGTH) {
            return false;
        }
        int first = buf.getUnsignedByte(buf.readerIndex());
        return first >= 0x40 && first <= 0x7F;
    }

    /** The channel number of a ChannelData message at the reader index. */
    public static int channel(ByteBuf buf) {
        return buf.getUnsignedShort(buf.readerIndex());
    }

    /**
     * The data length announced in the header, or -1 when the header announces more than the
     * datagram holds (a short datagram is malformed; extra bytes after the data are padding and ignored).
     */
    public static int dataLength(ByteBuf buf) {
        int len = buf.getUnsignedShort(buf.readerIndex() + 2);
        return len > buf.readableBytes() - HEADER_LENGTH ? -1 : len;
    }

    /** Writes a ChannelData header at {@code index}. */
    public static void writeHeader(ByteBuf buf, int index, int channel, int length) {
        buf.setShort(index, channel);
        buf.setShort(index + 2, length);
    }
}
