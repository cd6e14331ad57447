package dev.tern.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.credentials.fixed.StaticCredentialsConfig;
import dev.tern.credentials.rest.RestCredentialsConfig;
import dev.tern.spi.CredentialIssuerProvider;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ProviderDiscoveryTest {

    @Test
    void registersTheRestAndStaticTypesWithServiceLoader() {
        @SuppressWarnings("rawtypes")
        Map<String, Class> configTypes = ServiceLoader.load(CredentialIssuerProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(CredentialIssuerProvider::type, CredentialIssuerProvider::configType));

        assertEquals(Map.of("rest", RestCredentialsConfig.class, "static", StaticCredentialsConfig.class), configTypes);
    }
}
