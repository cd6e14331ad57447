package dev.tern.spi;

/**
 * The relay side of credentials: from the USERNAME and REALM of a STUN request to the long-term key
 * that checks its MESSAGE-INTEGRITY, or a typed rejection.
 *
 * <p>Implementations must be thread-safe and fast (they run on the relay's event loop: no I/O),
 * compare secrets in constant time, and never throw for bad input: any username, however long or
 * malformed, gives a {@link Verification}.
 */
public interface CredentialVerifier {

    /**
     * Verifies a username for a realm.
     *
     * @param username the USERNAME attribute as sent (already decoded from UTF-8)
     * @param realm the relay's realm
     */
    Verification verify(String username, String realm);
}
