package dev.tern.stun;

/**
 * The four STUN message classes (RFC 8489 section 5), encoded in bits C1 and C0 of the message type.
 */
public enum StunClass {
    REQUEST(0x0000),
    INDICATION(0x0010),
    SUCCESS_RESPONSE(0x0100),
    ERROR_RESPONSE(0x0110);

    private final int bits;

    StunClass(int bits) {
        this.bits = bits;
    }

    /** The class bits of a message type. */
    public static StunClass of(int messageType) {
        return switch (messageType & 0x0110) {
            case 0x0000 -> REQUEST;
            case 0x0010 -> INDICATION;
            case 0x0100 -> SUCCESS_RESPONSE;
            default -> ERROR_RESPONSE;
        };
    }

    /** The 14-bit message type for {@code method} (12 bits) in this class. */
    public int messageType(int method) {
        return (method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2) | bits;
    }

    /** The method of a 14-bit message type, with the class bits removed. */
    public static int methodOf(int messageType) {
        return (messageType & 0x000F) | ((messageType & 0x00E0) >> 1) | ((messageType & 0x3E00) >> 2);
    }
}
