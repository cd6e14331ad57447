package dev.tern.spi;

import java.util.Arrays;

/**
 * One long-term credential key pair for a username and realm: the RFC 5389 MD5 key and the RFC 8489
 * SHA-256 key derived from the same password.
 *
 * <p>Immutable and thread-safe: the arrays are copied in and out. {@link #toString()} shows no key.
 */
public final class LongTermKey {

    private final byte[] md5;
    private final byte[] sha256;

    /**
     * @param md5 MD5(username ":" realm ":" password), 16 bytes
     * @param sha256 SHA-256(username ":" realm ":" password), 32 bytes
     */
    public LongTermKey(byte[] md5, byte[] sha256) {
        if (md5.length != 16 || sha256.length != 32) {
            throw new IllegalArgumentException("an MD5 key has 16 bytes and a SHA-256 key 32");
        }
        this.md5 = md5.clone();
        this.sha256 = sha256.clone();
    }

    /** The MD5 key (a copy), for MESSAGE-INTEGRITY with PASSWORD-ALGORITHM MD5 or none. */
    public byte[] md5() {
        return md5.clone();
    }

    /** The SHA-256 key (a copy), for PASSWORD-ALGORITHM SHA-256. */
    public byte[] sha256() {
        return sha256.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LongTermKey k && Arrays.equals(md5, k.md5) && Arrays.equals(sha256, k.sha256);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(md5);
    }

    @Override
    public String toString() {
        return "LongTermKey[****]";
    }
}
