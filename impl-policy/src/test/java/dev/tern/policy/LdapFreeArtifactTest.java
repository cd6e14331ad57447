package dev.tern.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tern.spi.PolicySourceProvider;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code tern-policy} is usable without a directory: the {@code ldap} source and the UnboundID SDK live in
 * {@code tern-policy-ldap} (the build's enforcer rule refuses the SDK as a dependency; this test sees the
 * resulting class path).
 */
class LdapFreeArtifactTest {

    @Test
    void offersTheFileAndWellKnownSourcesButNotLdap() {
        Set<String> types = ServiceLoader.load(PolicySourceProvider.class).stream()
                .map(provider -> provider.get().type()).collect(Collectors.toSet());
        assertEquals(Set.of("file", "well-known"), types);
    }

    @Test
    void doesNotBringTheUnboundIdSdk() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.unboundid.ldap.sdk.LDAPConnection"));
    }
}
