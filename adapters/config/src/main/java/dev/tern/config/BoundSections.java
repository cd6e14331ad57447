package dev.tern.config;

import dev.tern.spi.CredentialIssuerProvider;
import dev.tern.spi.FleetProvider;
import dev.tern.spi.RelayServerProvider;
import java.time.Duration;

/**
 * The sections of a config file bound to their provider's config type, as {@link TernConfigReader} hands them to
 * {@link TernConfig}: a section that is absent is {@code null} here ({@link TernConfig} answers it as an empty
 * {@code Optional}); {@code policy} is {@link PolicyConfig#NONE} and {@code drainDeadline} its default when absent.
 *
 * @param credentials {@code credentials}, or null
 * @param policy {@code policy}
 * @param relay {@code relay}, or null
 * @param drainDeadline {@code relay.drain_deadline}
 * @param fleet {@code fleet}, or null
 */
record BoundSections(BoundProvider<CredentialIssuerProvider<?>> credentials, PolicyConfig policy,
        BoundProvider<RelayServerProvider<?>> relay, Duration drainDeadline, BoundProvider<FleetProvider<?>> fleet) {
}
