package dev.tern.launcher.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The launcher is one shaded jar, and every provider its modules register in {@code META-INF/services} must survive
 * the shading (ServicesResourceTransformer merges the files; without it the last module's file wins and the others'
 * providers vanish without a word). For each provider interface, the provider classes the launcher's own
 * dependencies register (their jars on this test class path, test-only artifacts left out) are all listed in the
 * shaded jar, and each loads from it through {@link java.util.ServiceLoader}.
 */
class ShadedProvidersIT {

    private static final Path JAR = Path.of("target", "tern-launcher.jar");
    private static final List<String> KINDS = List.of("dev.tern.spi.CredentialIssuerProvider",
            "dev.tern.spi.PolicySourceProvider", "dev.tern.spi.RelayServerProvider",
            "dev.tern.spi.AccessTokenVerifierProvider");

    @Test
    void everyModulesProvidersAreInTheShadedJar() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "run mvn package first: " + JAR.toAbsolutePath() + " is missing");
        try (JarFile shaded = new JarFile(JAR.toFile());
                URLClassLoader loader = new URLClassLoader(new URL[] {JAR.toUri().toURL()},
                        ClassLoader.getPlatformClassLoader())) {
            for (String kind : KINDS) {
                Set<String> expected = fromModules(kind);
                assertTrue(!expected.isEmpty(), "some module registers a " + kind);
                Set<String> inJar = names(shaded.getInputStream(shaded.getEntry("META-INF/services/" + kind)));
                assertEquals(expected, inJar, kind);
                Set<String> loaded = new TreeSet<>();
                for (Object provider : java.util.ServiceLoader.load(loader.loadClass(kind), loader)) {
                    loaded.add(provider.getClass().getName());
                }
                assertEquals(expected, loaded, kind + " loaded from the shaded jar");
            }
        }
    }

    /** What the launcher's dependencies register: test-only artifacts (the example plugin, test jars) left out. */
    private static Set<String> fromModules(String kind) throws IOException {
        Set<String> names = new TreeSet<>();
        for (URL url : Collections.list(ShadedProvidersIT.class.getClassLoader().getResources("META-INF/services/" + kind))) {
            String where = url.toString();
            if (where.contains("custom-policy-plugin") || where.contains("test-classes") || where.contains("-tests.jar")
                    || where.contains("/testing/")) {
                continue;
            }
            try (InputStream in = url.openStream()) {
                names.addAll(names(in));
            }
        }
        return names;
    }

    private static Set<String> names(InputStream in) throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            String name = line.replaceAll("#.*", "").strip();
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }
}
