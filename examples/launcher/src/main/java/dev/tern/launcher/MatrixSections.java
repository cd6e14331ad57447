package dev.tern.launcher;

import dev.tern.config.BoundProvider;
import dev.tern.config.ConfigSection;
import dev.tern.config.ProviderCatalog;
import dev.tern.config.TernConfig;
import dev.tern.spi.AccessTokenVerifierProvider;
import dev.tern.matrix.http.MatrixConfig;
import java.util.Optional;

/**
 * The {@code matrix} section bound with tern-matrix-http's records: {@link MatrixConfig} and the
 * {@code access_tokens} sub-section through its {@link AccessTokenVerifierProvider} (found with
 * {@link java.util.ServiceLoader}), so {@code check-config} and {@code serve} refuse the same mistakes.
 *
 * <p>Immutable and thread-safe.
 *
 * @param config the section
 * @param accessTokens the {@code access_tokens} provider and its bound config
 */
record MatrixSections(MatrixConfig config, BoundProvider<AccessTokenVerifierProvider<?>> accessTokens) {

    /**
     * Binds {@code matrix} if present.
     *
     * @throws dev.tern.config.ConfigException for any mistake, including a missing {@code access_tokens}
     */
    static Optional<MatrixSections> bind(TernConfig config) {
        if (config.matrix().isEmpty()) {
            return Optional.empty();
        }
        ConfigSection section = config.matrix().get();
        MatrixConfig matrix = section.bind(MatrixConfig.class);
        ConfigSection tokens = section.section("access_tokens").orElseThrow(() -> section.problem("access_tokens",
                "is required by the launcher (who access tokens belong to), like {type: static, tokens: "
                        + "{\"tok\": \"@alice:example.org\"}} or {type: whoami, homeserver: \"http://127.0.0.1:8009\"}"));
        return Optional.of(new MatrixSections(matrix, tokens.bindProvider(catalog())));
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // ServiceLoader cannot express AccessTokenVerifierProvider<?>
    private static ProviderCatalog<AccessTokenVerifierProvider<?>> catalog() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return (ProviderCatalog) ProviderCatalog.discover(AccessTokenVerifierProvider.class,
                loader != null ? loader : MatrixSections.class.getClassLoader());
    }
}
