package dev.tern.guice;

import com.google.inject.Provider;
import dev.tern.spi.PolicyEvaluator;
import dev.tern.config.BoundProvider;
import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.CredentialVerifier;
import dev.tern.spi.Fleet;
import dev.tern.spi.ProviderContext;
import dev.tern.spi.RelayServer;
import dev.tern.spi.RelayServerProvider;
import dev.tern.host.SimpleProviderContext;
import java.util.Optional;

/**
 * Makes the relay of the {@code relay:} section, with a {@link dev.tern.spi.RelayContext} whose verifier
 * is the credential issuer's own. A relay without an issuer that can verify is a config error at
 * {@code relay}: the relay could not check anyone's credentials.
 */
final class RelayFromConfig implements Provider<RelayServer> {

    private final BoundProvider<RelayServerProvider<?>> bound;
    private final Provider<ProviderContext> context;
    private final Provider<Optional<CredentialIssuer>> issuer;
    private final Provider<PolicyEvaluator> policy;
    private final Provider<Fleet> fleet;

    RelayFromConfig(BoundProvider<RelayServerProvider<?>> bound, Provider<ProviderContext> context,
            Provider<Optional<CredentialIssuer>> issuer, Provider<PolicyEvaluator> policy, Provider<Fleet> fleet) {
        this.bound = bound;
        this.context = context;
        this.issuer = issuer;
        this.policy = policy;
        this.fleet = fleet;
    }

    @Override
    public RelayServer get() {
        CredentialIssuer credentials = issuer.get().orElseThrow(() -> bound.problem("the relay needs a "
                + "'credentials' section to check clients' credentials (type rest or static)"));
        CredentialVerifier verifier = credentials.verifier().orElseThrow(() -> bound.problem("the relay needs "
                + "credentials it can verify, but the configured issuer (" + credentials.getClass().getName()
                + ") has no verifier; use type rest or static"));
        ProviderContext base = context.get();
        SimpleProviderContext shared = new SimpleProviderContext(base.serverName(), base.clock(), base.scheduler(),
                base.httpClient(), base.metrics(), new SimpleProviderContext.Directories(base.dataDirectory(),
                        base.configDirectory()));
        return ConfiguredProviders.relay(bound, shared.forRelay(verifier, policy.get(), fleet.get()));
    }
}
