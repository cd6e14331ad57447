package dev.tern.spi;


/**
 * What a relay needs beyond the shared services: how to check credentials and what policy applies.
 *
 * <p>Thread-safe.
 */
public interface RelayContext extends ProviderContext {

    /** Checks the credentials clients present. */
    CredentialVerifier credentialVerifier();

    /** The per-user policy (quotas, bitrate, guests, transports). */
    PolicyEvaluator policy();

    /** The fleet this relay belongs to; {@link Fleet#NONE} when it runs alone. */
    default Fleet fleet() {
        return Fleet.NONE;
    }
}
