package dev.tern.relay.auth;

import dev.tern.spi.CredentialVerifier;
import dev.tern.spi.Fleet;
import dev.tern.spi.Verification;

/**
 * Refuses the credentials of users the fleet revoked (#18 point 3) that were issued before the revocation: they
 * verify as {@link Verification.Expired} (401 to the client), so a revoked user's Allocates, Refreshes, permissions
 * and channel binds all fail from the moment this relay learns of it. The user is looked up by the credentials' user
 * id and, for a bare name, by its Matrix id on this server ({@code @name:server}). Reads the fleet's local cache
 * only: never blocks.
 *
 * <p>Thread-safe when the wrapped verifier is.
 */
public final class RevocationCheck implements CredentialVerifier {

    private final CredentialVerifier verifier;
    private final Fleet fleet;
    private final String serverName;

    private RevocationCheck(CredentialVerifier verifier, Fleet fleet, String serverName) {
        this.verifier = verifier;
        this.fleet = fleet;
        this.serverName = serverName;
    }

    /** {@code verifier} with the fleet's revocations applied; {@code verifier} itself without a fleet. */
    public static CredentialVerifier of(CredentialVerifier verifier, Fleet fleet, String serverName) {
        return fleet == Fleet.NONE ? verifier : new RevocationCheck(verifier, fleet, serverName);
    }

    @Override
    public Verification verify(String username, String realm) {
        Verification v = verifier.verify(username, realm);
        if (v instanceof Verification.Accepted accepted && revoked(accepted)) {
            return new Verification.Expired(fleet.revokedAt(accepted.userId())
                    .or(() -> fleet.revokedAt(matrixId(accepted.userId()))).orElseThrow());
        }
        return v;
    }

    private boolean revoked(Verification.Accepted a) {
        return fleet.revokes(a.userId(), a.expiresAt())
                || !a.userId().startsWith("@") && fleet.revokes(matrixId(a.userId()), a.expiresAt());
    }

    private String matrixId(String userId) {
        return matrixId(userId, serverName);
    }

    /** The Matrix user id of a credential's user part, as the relay asks policy about it. */
    public static String matrixId(String userId, String serverName) {
        return userId.startsWith("@") ? userId : "@" + userId + ":" + serverName;
    }
}
