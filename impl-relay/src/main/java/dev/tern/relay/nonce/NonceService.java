package dev.tern.relay.nonce;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless TURN nonces (RFC 8489 9.2): a nonce carries the time it was issued and an HMAC-SHA256,
 * keyed with the server key, over that time, the client's IP address and port and the nonce's own
 * prefix. Any relay holding the same key can check a nonce another one issued, so a fleet behind a
 * load balancer needs no shared state, and a nonce is bound to the client it was issued to.
 *
 * <p>Format: {@code [obMatJos2 FFFF] base64url(issuedMillis[8] || mac[16])}, 32 or 45 printable
 * characters, safe inside a quoted-string. {@code FFFF} is the RFC 8489 nonce cookie's 24 feature
 * bits in base64; the "password algorithms" feature is bit 0 counted from the least significant bit
 * (RFC 8489 erratum 6290), so it encodes as {@code AAAB}. The MAC is HMAC-SHA256 truncated to 128 bits.
 *
 * <p>Thread-safe (one {@link Mac} per thread). {@link #check} never throws: garbage of any length,
 * a nonce for another client or a forged one is {@link Check#INVALID}; a genuine nonce older than
 * the lifetime is {@link Check#STALE}. MACs are compared in constant time.
 */
public final class NonceService {

    /** What {@link #check} found. */
    public enum Check { VALID, STALE, INVALID }

    /** The RFC 8489 nonce cookie. */
    public static final String COOKIE = "obMatJos2";

    /** Cookie plus the 24 feature bits with "password algorithms" set. */
    private static final String SECURITY_PREFIX = COOKIE + "AAAB";
    private static final int PREFIX_LENGTH = SECURITY_PREFIX.length();
    private static final int MAC_BYTES = 16;
    private static final int BODY_BYTES = Long.BYTES + MAC_BYTES;
    private static final int BODY_CHARS = 32;

    private final SecretKeySpec key;
    private final Clock clock;
    private final long lifetimeMillis;
    private final ThreadLocal<Mac> macs;

    /**
     * @param serverKey at least 16 bytes; copied
     * @param clock source of time
     * @param lifetime how long a nonce stays valid; positive
     * @throws IllegalArgumentException for a short key or a non-positive lifetime
     */
    public NonceService(byte[] serverKey, Clock clock, Duration lifetime) {
        Objects.requireNonNull(serverKey, "serverKey");
        if (serverKey.length < 16) {
            throw new IllegalArgumentException("nonce server key must have at least 16 bytes");
        }
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("nonce lifetime must be positive, was " + lifetime);
        }
        this.key = new SecretKeySpec(serverKey.clone(), "HmacSHA256");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lifetimeMillis = lifetime.toMillis();
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }

    /**
     * A fresh nonce for {@code client}.
     *
     * @param offerSecurityFeatures start with the RFC 8489 cookie announcing password algorithms
     */
    public String issue(InetSocketAddress client, boolean offerSecurityFeatures) {
        String prefix = offerSecurityFeatures ? SECURITY_PREFIX : "";
        long issued = clock.millis();
        ByteBuffer body = ByteBuffer.allocate(BODY_BYTES);
        body.putLong(issued);
        body.put(mac(prefix, issued, client), 0, MAC_BYTES);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(body.array());
    }

    /** Whether {@code nonce} is one this service (or one with the same key) issued to {@code client}, and still fresh. */
    public Check check(String nonce, InetSocketAddress client) {
        if (nonce == null || client == null || client.getAddress() == null) {
            return Check.INVALID;
        }
        String prefix;
        if (nonce.length() == PREFIX_LENGTH + BODY_CHARS && nonce.startsWith(SECURITY_PREFIX)) {
            prefix = SECURITY_PREFIX;
        } else if (nonce.length() == BODY_CHARS) {
            prefix = "";
        } else {
            return Check.INVALID;
        }
        byte[] body = decodeBase64Url(nonce, prefix.length());
        if (body == null) {
            return Check.INVALID;
        }
        long issued = ByteBuffer.wrap(body).getLong();
        byte[] expected = mac(prefix, issued, client);
        byte[] given = new byte[MAC_BYTES];
        System.arraycopy(body, Long.BYTES, given, 0, MAC_BYTES);
        byte[] truncated = new byte[MAC_BYTES];
        System.arraycopy(expected, 0, truncated, 0, MAC_BYTES);
        if (!MessageDigest.isEqual(given, truncated)) {
            return Check.INVALID;
        }
        long age = clock.millis() - issued;
        if (age > lifetimeMillis) {
            return Check.STALE;
        }
        // Issued in the future beyond one lifetime: not a clock skew between fleet members, a bug.
        return age < -lifetimeMillis ? Check.INVALID : Check.VALID;
    }

    /**
     * Whether a nonce (any server's) starts with the RFC 8489 cookie and announces password algorithms.
     * Reads bit 0 from either end of the 24 feature bits, since implementations differ on the numbering.
     */
    public static boolean offersSecurityFeatures(String nonce) {
        if (nonce == null || nonce.length() < COOKIE.length() + 4 || !nonce.startsWith(COOKIE)) {
            return false;
        }
        int bits = 0;
        for (int i = COOKIE.length(); i < COOKIE.length() + 4; i++) {
            int v = base64Value(nonce.charAt(i), false);
            if (v < 0) {
                return false;
            }
            bits = bits << 6 | v;
        }
        return (bits & 0x80_0001) != 0;
    }

    private byte[] mac(String prefix, long issued, InetSocketAddress client) {
        Mac mac = macs.get();
        mac.update(prefix.getBytes(StandardCharsets.US_ASCII));
        ByteBuffer fixed = ByteBuffer.allocate(Long.BYTES + Short.BYTES);
        fixed.putLong(issued).putShort((short) client.getPort());
        mac.update(fixed.array());
        mac.update(client.getAddress().getAddress());
        return mac.doFinal();
    }

    /** Decodes unpadded base64url from {@code offset} to the end, or null on any bad character. */
    private static byte[] decodeBase64Url(String s, int offset) {
        byte[] out = new byte[BODY_BYTES];
        int bits = 0;
        int bitCount = 0;
        int index = 0;
        for (int i = offset; i < s.length(); i++) {
            int v = base64Value(s.charAt(i), true);
            if (v < 0) {
                return null;
            }
            bits = bits << 6 | v;
            bitCount += 6;
            if (bitCount >= 8) {
                bitCount -= 8;
                if (index == out.length) {
                    return null;
                }
                out[index++] = (byte) (bits >> bitCount);
            }
        }
        // 32 characters carry 192 bits = 24 bytes exactly, nothing left over.
        return index == out.length && bitCount == 0 ? out : null;
    }

    private static int base64Value(char c, boolean url) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == (url ? '-' : '+')) {
            return 62;
        }
        if (c == (url ? '_' : '/')) {
            return 63;
        }
        return -1;
    }
}
