package dev.tern.jetty;

import java.nio.ByteBuffer;

/**
 * The length of the first whole message in a TURN byte stream from the relay (RFC 8656 section 6.2): a STUN message
 * is 20 bytes plus the length in its header, a ChannelData message 4 plus its length, padded to 4 bytes (as the relay
 * pads them on streams). The pipe writes the client one message per write, so one per TLS record, as the relay does
 * on its own TLS listeners: coturn's {@code turnutils_uclient -S} lost about one message in ten when a record held
 * parts of several (TurnHandOffIT). Stateless.
 */
final class WholeFrames {

    /** The longest message: a STUN header and the largest length its 16 bits can say. */
    static final int MAX_MESSAGE = 20 + 0xFFFF;

    private WholeFrames() {
    }

    /**
     * The length of the first message at {@code stream}'s position when it is all there, else 0 (not consumed); all
     * the readable bytes when the first byte is neither STUN nor ChannelData (the client sorts that out, as it would
     * have from the relay).
     */
    static int first(ByteBuffer stream) {
        int available = stream.remaining();
        if (available < 4) {
            return 0;
        }
        int at = stream.position();
        int first = stream.get(at) & 0xFF;
        int length = stream.getShort(at + 2) & 0xFFFF;
        int frame;
        if (first < 0x40) {
            frame = 20 + length;
        } else if (first < 0x80) {
            frame = (4 + length + 3) & ~3;
        } else {
            return available;
        }
        return available >= frame ? frame : 0;
    }
}
