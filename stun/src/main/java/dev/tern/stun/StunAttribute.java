package dev.tern.stun;

/**
 * STUN and TURN attribute types (RFC 8489, RFC 8656). Types below {@code 0x8000} are
 * comprehension-required: a server that does not know one answers 420.
 */
public final class StunAttribute {
    public static final int MAPPED_ADDRESS = 0x0001;
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int CHANNEL_NUMBER = 0x000C;
    public static final int LIFETIME = 0x000D;
    public static final int XOR_PEER_ADDRESS = 0x0012;
    public static final int DATA = 0x0013;
    public static final int REALM = 0x0014;
    public static final int NONCE = 0x0015;
    public static final int XOR_RELAYED_ADDRESS = 0x0016;
    public static final int REQUESTED_ADDRESS_FAMILY = 0x0017;
    public static final int EVEN_PORT = 0x0018;
    public static final int REQUESTED_TRANSPORT = 0x0019;
    public static final int DONT_FRAGMENT = 0x001A;
    public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    public static final int PASSWORD_ALGORITHM = 0x001D;
    public static final int USERHASH = 0x001E;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    public static final int RESERVATION_TOKEN = 0x0022;
    public static final int ADDITIONAL_ADDRESS_FAMILY = 0x8000;
    public static final int ADDRESS_ERROR_CODE = 0x8001;
    public static final int PASSWORD_ALGORITHMS = 0x8002;
    public static final int ALTERNATE_DOMAIN = 0x8003;
    public static final int SOFTWARE = 0x8022;
    public static final int ALTERNATE_SERVER = 0x8023;
    public static final int FINGERPRINT = 0x8028;
    /** ICE (RFC 8445) attributes a relay sees in Binding requests and ignores. */
    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    public static final int ICE_CONTROLLED = 0x8029;
    public static final int ICE_CONTROLLING = 0x802A;
    /** RFC 5780 attributes coturn's clients may send. */
    public static final int CHANGE_REQUEST = 0x0003;
    public static final int RESPONSE_PORT = 0x0027;
    public static final int PADDING = 0x0026;

    /** PASSWORD-ALGORITHM values. */
    public static final int ALGORITHM_MD5 = 0x0001;
    public static final int ALGORITHM_SHA256 = 0x0002;

    /** Address families in address attributes and REQUESTED-ADDRESS-FAMILY. */
    public static final int FAMILY_IPV4 = 0x01;
    public static final int FAMILY_IPV6 = 0x02;

    /** REQUESTED-TRANSPORT protocol number for UDP. */
    public static final int TRANSPORT_UDP = 17;

    private StunAttribute() {
    }

    /** Whether a server must understand this attribute type to process the message. */
    public static boolean isComprehensionRequired(int type) {
        return type < 0x8000;
    }
}
