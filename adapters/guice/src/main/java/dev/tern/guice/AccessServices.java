package dev.tern.guice;

import com.google.inject.Inject;
import dev.tern.host.ConfiguredPolicySource;
import dev.tern.spi.AccessTokenVerifier;
import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.PolicyEvaluator;
import java.util.Optional;
import java.util.Set;

/**
 * The services that decide who may relay, which {@link TernLifecycle} closes once the relay is stopped, in this
 * order: the access-token verifier, the issuer, the policy evaluator, then the sources it reads. Injected by Guice;
 * a plain value otherwise.
 *
 * @param issuer the credential issuer, if configured
 * @param accessTokens the Matrix access-token verifier, if configured
 * @param policy the policy evaluator over {@code sources}
 * @param sources the configured policy sources
 */
record AccessServices(Optional<CredentialIssuer> issuer, Optional<AccessTokenVerifier> accessTokens,
        PolicyEvaluator policy, Set<ConfiguredPolicySource> sources) {

    @Inject
    AccessServices {
    }
}
