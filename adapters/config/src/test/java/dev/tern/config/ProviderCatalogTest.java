package dev.tern.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.config.shapes.CredentialShapes.RestProvider;
import dev.tern.config.shapes.MatrixShapes.TokenCheckProvider;
import dev.tern.config.shapes.PolicyShapes.FileProvider;
import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.CredentialIssuerProvider;
import dev.tern.spi.PolicySourceProvider;
import dev.tern.spi.ProviderContext;
import dev.tern.spi.RelayServerProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderCatalogTest {

    /** A second provider claiming {@code rest}. */
    static final class OtherRest implements CredentialIssuerProvider<String> {
        @Override
        public String type() {
            return "rest";
        }

        @Override
        public Class<String> configType() {
            return String.class;
        }

        @Override
        public CredentialIssuer create(String config, ProviderContext context) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void discoversProvidersRegisteredInMetaInfServices() {
        ProviderCatalog<CredentialIssuerProvider<?>> issuers = ProviderCatalog.discover(CredentialIssuerProvider.class);
        assertEquals(List.of("rest", "static"), issuers.types());
        assertTrue(issuers.find("rest").orElseThrow() instanceof RestProvider);
        ProviderCatalog<PolicySourceProvider<?>> sources = ProviderCatalog.discover(PolicySourceProvider.class);
        assertEquals(List.of("file", "ldap", "well-known"), sources.types());
        assertTrue(sources.find("file").orElseThrow() instanceof FileProvider);
        ProviderCatalog<RelayServerProvider<?>> relays = ProviderCatalog.discover(RelayServerProvider.class);
        assertEquals(List.of("netty"), relays.types());
    }

    @Test
    void servesAnyProviderInterface() {
        ProviderCatalog<TokenCheckProvider<?>> tokens = ProviderCatalog.discover(TokenCheckProvider.class,
                getClass().getClassLoader());
        assertEquals(List.of("whoami"), tokens.types());
        assertEquals(TokenCheckProvider.class, tokens.kind());
    }

    @Test
    void refusesTwoProvidersWithOneTypeNamingBothClasses() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderCatalog.of(CredentialIssuerProvider.class, List.of(new RestProvider(), new OtherRest())));
        assertEquals("Two CredentialIssuerProviders claim type 'rest': " + RestProvider.class.getName() + " and "
                + OtherRest.class.getName() + "; remove one of them from the classpath", e.getMessage());
    }

    @Test
    void explainsAnUnknownTypeWithTheKnownOnes() {
        ProviderCatalog<CredentialIssuerProvider<?>> issuers = ProviderCatalog.discover(CredentialIssuerProvider.class);
        assertEquals("unknown type 'statc' (did you mean 'static'?); known types: rest, static",
                issuers.unknownTypeMessage("statc"));
        assertEquals("unknown type 'x': no CredentialIssuerProvider is on the classpath (add the module that provides "
                + "it)", ProviderCatalog.of(CredentialIssuerProvider.class, List.of()).unknownTypeMessage("x"));
    }
}
