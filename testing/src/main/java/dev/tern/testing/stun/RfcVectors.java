package dev.tern.testing.stun;

/** Long-term credential test vectors of RFC 5769 and RFC 8489, in hex, for the codec and authentication tests. */
public final class RfcVectors {

    /** RFC 5769 section 2.4: MESSAGE-INTEGRITY with the MD5 key of user "マトリックス", realm "example.org". */
    public static final String RFC5769_LONG_TERM = "000100602112a44278ad3433c6ad72c029da412e00060012e3839ee38388e383"
            + "aae38383e382afe382b900000015001c662f2f3439396b39353464364f4c33346f4c394653547679363473410014000b6578"
            + "616d706c652e6f72670000080014f67024656dd64a3e02b8e0712e85c9a28ca89666";

    /** RFC 8489 appendix B.1 (erratum 6268): USERHASH, PASSWORD-ALGORITHM SHA-256, MESSAGE-INTEGRITY-SHA256. */
    public static final String RFC8489_SHA256 = "000100902112a44278ad3433c6ad72c029da412e001e00204a3cf38fef6992bda95"
            + "2c6780417da0f24819415569e60b205c46e41407f1704001500296f624d61744a6f733241414143662f2f3439396b393534"
            + "64364f4c33346f4c394653547679363473410000000014000b6578616d706c652e6f726700001d000400020000001c0020b"
            + "5c7bf005b6c52a21c51c5e892f81924136296cb927c43149309278cc6518e65";

    /** The credentials both vectors use. */
    public static final String USER = "マトリックス";
    public static final String REALM = "example.org";
    public static final String PASSWORD = "TheMatrIX";

    private RfcVectors() {
    }
}
