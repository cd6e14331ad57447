package dev.tern.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.tern.spi.PolicyEvaluator;
import dev.tern.api.Tern;
import dev.tern.config.BoundPolicySource;
import dev.tern.config.ConfigSection;
import dev.tern.config.TernConfig;
import dev.tern.spi.AccessTokenVerifier;
import dev.tern.matrix.http.MatrixConfig;
import dev.tern.matrix.http.MatrixEndpoints;
import dev.tern.policy.PolicyEngine;
import dev.tern.policy.SourceWiringException;
import dev.tern.host.ConfiguredPolicySource;
import dev.tern.host.LazyHttpClient;
import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.Fleet;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.ProviderContext;
import dev.tern.spi.RelayServer;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Wires Tern from a loaded {@link TernConfig}: the credential issuer of {@code credentials} (optional),
 * the policy sources of {@code policy.sources} (a {@link Multibinder} of {@link ConfiguredPolicySource},
 * in config order), the {@link PolicyEvaluator} ({@link PolicyEngine}), the relay of {@code relay}
 * (optional), the shared {@link ProviderContext}, the {@link Tern} facade and a {@link TernLifecycle}.
 *
 * <p>{@link #configure()} only declares bindings: it does no I/O and creates no provider; everything is
 * made, as a singleton, when first injected. Every binding can be replaced with
 * {@code Modules.override(new TernModule(config)).with(...)}: bind {@link CredentialIssuer},
 * {@link PolicyEvaluator}, {@link RelayServer}, {@link Clock}, {@link ScheduledExecutorService},
 * {@link HttpClient} or {@link MetricsRecorder} (default {@link MetricsRecorder#NONE}) to your own.
 * {@code Optional<CredentialIssuer>} and {@code Optional<RelayServer>} can be injected.
 *
 * <p>With a {@code matrix} section it also wires the Matrix endpoints: {@link MatrixConfig}, the
 * {@link AccessTokenVerifier} of {@code matrix.access_tokens} ({@code static}, {@code whoami}, or any
 * {@code AccessTokenVerifierProvider} on the class path) and {@link MatrixEndpoints} over the {@link Tern} facade,
 * ready to mount in a servlet container ({@code MatrixServlet}), the JDK server ({@code MatrixExchangeHandler}) or
 * Netty ({@code MatrixHttpServer}); starting a server is the host's choice. Override the verifier like any binding
 * (a homeserver binds {@code AccessTokenVerifier.fromLookup} over its own sessions; then {@code access_tokens} may
 * be left out). {@code Optional<MatrixEndpoints>} can be injected.
 *
 * <p>Provider <em>instances</em> the host makes itself (a policy source that needs the homeserver's group store)
 * go to the config loader next to the discovered ones, before the config is loaded:
 * {@code ConfigLoader.builder().addPolicySource(new GroupPolicyProvider(groups)).build()}.
 *
 * <p>A provider's {@code create} that refuses its settings surfaces as a
 * {@link dev.tern.config.ConfigException} (inside Guice's {@code ProvisionException} or
 * {@code CreationException}; {@link TernInjector} unwraps it).
 */
public final class TernModule extends AbstractModule {

    private static final Duration HTTP_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final TernConfig config;

    /** @param config a config loaded by {@link dev.tern.config.ConfigLoader} */
    public TernModule(TernConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    protected void configure() {
        bind(TernConfig.class).toInstance(config);
        bind(Clock.class).toInstance(Clock.systemUTC());
        bind(ScheduledExecutorService.class).toProvider(SharedScheduler.class).in(Singleton.class);
        OptionalBinder.newOptionalBinder(binder(), MetricsRecorder.class).setDefault().toInstance(MetricsRecorder.NONE);
        bind(ProviderContext.class).toProvider(SharedProviderContext.class).in(Singleton.class);
        Provider<ProviderContext> context = getProvider(ProviderContext.class);

        OptionalBinder.newOptionalBinder(binder(), CredentialIssuer.class);
        config.credentials().ifPresent(bound -> bind(CredentialIssuer.class)
                .toProvider((Provider<CredentialIssuer>) () -> ConfiguredProviders.issuer(bound, context.get()))
                .in(Singleton.class));

        Multibinder<ConfiguredPolicySource> sources = Multibinder.newSetBinder(binder(), ConfiguredPolicySource.class);
        for (BoundPolicySource source : config.policy().sources()) {
            sources.addBinding().toProvider((Provider<ConfiguredPolicySource>) () -> new ConfiguredPolicySource(
                    source.settings(), ConfiguredProviders.source(source.binding(), context.get())))
                    .in(Singleton.class);
        }

        // #18: the fleet of the fleet section (Fleet.NONE without one); made when first injected, never blocking.
        bind(Fleet.class).toProvider((Provider<Fleet>) () -> config.fleet()
                .map(bound -> ConfiguredProviders.fleet(bound, context.get())).orElse(Fleet.NONE)).in(Singleton.class);

        OptionalBinder.newOptionalBinder(binder(), RelayServer.class);
        config.relay().ifPresent(bound -> bind(RelayServer.class).toProvider(new RelayFromConfig(bound, context,
                getProvider(Key.get(new TypeLiteral<Optional<CredentialIssuer>>() { })),
                getProvider(PolicyEvaluator.class), getProvider(Fleet.class))).in(Singleton.class));

        OptionalBinder.newOptionalBinder(binder(), MatrixConfig.class);
        OptionalBinder.newOptionalBinder(binder(), AccessTokenVerifier.class);
        OptionalBinder.newOptionalBinder(binder(), MatrixEndpoints.class);
        config.matrix().ifPresent(matrix -> {
            bind(MatrixConfig.class).toProvider((Provider<MatrixConfig>) () -> matrix.bind(MatrixConfig.class))
                    .in(Singleton.class);
            matrix.section("access_tokens").ifPresent(tokens -> bind(AccessTokenVerifier.class)
                    .toProvider((Provider<AccessTokenVerifier>) () -> MatrixFromConfig.verifier(tokens, context.get()))
                    .in(Singleton.class));
            Provider<Optional<AccessTokenVerifier>> tokens = getProvider(
                    Key.get(new TypeLiteral<Optional<AccessTokenVerifier>>() { }));
            Provider<MatrixConfig> matrixConfig = getProvider(MatrixConfig.class);
            Provider<Tern> tern = getProvider(Tern.class);
            bind(MatrixEndpoints.class).toProvider((Provider<MatrixEndpoints>) () -> MatrixEndpoints.create(
                    matrixConfig.get(), tern.get(), tokens.get().orElseThrow(() -> missingAccessTokens(matrix)),
                    context.get())).in(Singleton.class);
        });

        bind(TernLifecycle.class).in(Singleton.class);
    }

    private static RuntimeException missingAccessTokens(ConfigSection matrix) {
        return matrix.problem("access_tokens", "is required to serve /voip/turnServer (who access tokens belong to), "
                + "like {type: whoami, homeserver: \"http://127.0.0.1:8009\"}, unless your module binds an "
                + "AccessTokenVerifier (AccessTokenVerifier.fromLookup over your sessions)");
    }

    @Provides
    @Singleton
    HttpClient httpClient() {
        return new LazyHttpClient(executor -> HttpClient.newBuilder().connectTimeout(HTTP_CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).executor(executor).build());
    }

    @Provides
    @Singleton
    PolicyEvaluator policyEvaluator(Set<ConfiguredPolicySource> sources, Clock clock,
            ScheduledExecutorService scheduler, MetricsRecorder metrics) {
        try {
            return new PolicyEngine(config.policy().defaults(), List.copyOf(sources), clock, scheduler, metrics);
        } catch (SourceWiringException e) {
            // Reported where that source is configured, like a setting its provider refused.
            throw config.policy().sources().stream().filter(s -> s.settings().name().equals(e.sourceName()))
                    .findFirst().map(s -> s.binding().invalidSetting(e)).orElseThrow(() -> e);
        }
    }

    @Provides
    @Singleton
    Tern tern(Optional<CredentialIssuer> issuer, PolicyEvaluator policy, Optional<RelayServer> relay, Fleet fleet) {
        Tern.Builder builder = Tern.builder().policy(policy).fleet(fleet);
        issuer.ifPresent(builder::issuer);
        relay.ifPresent(builder::relay);
        return builder.build();
    }
}
