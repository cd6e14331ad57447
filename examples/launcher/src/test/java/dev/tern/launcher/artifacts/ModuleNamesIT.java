package dev.tern.launcher.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/**
 * Every published jar's MANIFEST names its module (#21.2): {@code Automatic-Module-Name} equals the
 * {@code tern.module.name} its pom sets. The library jars are the ones this module's test class path holds (the
 * reactor's packaged jars under {@code mvn verify}, the local repository's otherwise); the launcher's are its own
 * thin jar and the shaded jar beside it, made by {@code package} before this IT runs.
 */
class ModuleNamesIT {

    @Test
    void everyPublishedJarsManifestNamesTheModuleItsPomSets() throws IOException {
        String version = PublishedModules.ownVersion(PublishedModules.text(PublishedModules.ROOT.resolve("pom.xml")));
        List<String> classPath = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
        List<String> checked = new ArrayList<>();
        for (PublishedModules.Module module : PublishedModules.all()) {
            if (!module.published() && !module.artifactId().equals("tern-launcher")) {
                continue; // the launcher skips its Javadoc jar but is published, as BomTest has it
            }
            assertFalse(module.moduleName().isEmpty(), module.artifactId() + "'s pom sets no tern.module.name");
            List<Path> jars = new ArrayList<>();
            if (module.artifactId().equals("tern-launcher")) {
                jars.add(module.dir().resolve("target/tern-launcher-thin.jar"));
                jars.add(module.dir().resolve("target/tern-launcher.jar"));
            } else {
                String fileName = module.artifactId() + "-" + version + ".jar";
                jars.add(classPath.stream().map(Path::of).filter(p -> p.getFileName().toString().equals(fileName))
                        .findFirst().orElseThrow(() -> new AssertionError(fileName + " is not on the launcher's "
                                + "test class path (as a packaged jar): add " + module.artifactId()
                                + " to the launcher's dependencies (test scope) so its manifest is checked")));
            }
            for (Path jar : jars) {
                assertTrue(Files.isRegularFile(jar), "run mvn package first: " + jar + " is missing");
                try (JarFile file = new JarFile(jar.toFile())) {
                    Manifest manifest = file.getManifest();
                    assertTrue(manifest != null, jar + " has no MANIFEST.MF");
                    assertEquals(module.moduleName(), manifest.getMainAttributes().getValue("Automatic-Module-Name"),
                            jar + "'s Automatic-Module-Name");
                }
                checked.add(jar.getFileName().toString());
            }
        }
        assertTrue(checked.contains("tern-api-" + version + ".jar") && checked.contains("tern-launcher.jar")
                && checked.size() >= 15, "the published jars were found: " + checked);
    }
}
