/**
 * The framework-neutral core of Tern's Matrix endpoints: {@link dev.tern.matrix.http.MatrixEndpoints} turns a
 * {@link dev.tern.matrix.http.MatrixRequest} into a {@link dev.tern.matrix.http.MatrixResponse} asynchronously,
 * serving {@code GET /_matrix/client/{v3,r0,api/v1,unstable}/voip/turnServer} and
 * {@code GET /.well-known/matrix/client} from the {@link dev.tern.api.Tern} facade;
 * {@link dev.tern.matrix.http.MatrixConfig} is the {@code matrix:} config section.
 *
 * <p>With Guice, tern-guice's {@code TernModule} wires all of this from the {@code matrix} section
 * ({@code injector.getInstance(MatrixEndpoints.class)}; override the {@link dev.tern.spi.AccessTokenVerifier}
 * binding with your own). By hand, from config (tern-config's {@code ConfigSection} for {@code matrix}):
 * <pre>{@code
 * MatrixConfig config = matrix.bind(MatrixConfig.class);
 * var bound = matrix.section("access_tokens").orElseThrow()
 *         .bindProvider(ProviderCatalog.discover(AccessTokenVerifierProvider.class));
 * AccessTokenVerifier tokens = bound.provider().createFrom(bound.config(), context);
 * MatrixEndpoints endpoints = MatrixEndpoints.create(config, tern, tokens, context);
 * ListenerGuard guard = ListenerGuard.create("http", config.connections(), context.clock(), context.metrics());
 * MatrixHttpServer server = MatrixHttpServer.start(endpoints, config, guard);   // or mount a binding
 * }</pre>
 */
package dev.tern.matrix.http;
