package dev.tern.launcher.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicySourceProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin directory with the example plugin's real jar (built by the reactor before the launcher): a jar and a
 * folder of jars are each a plugin, each sees the launcher's API classes (the very same classes) and nothing else
 * of the launcher, and finds only its own providers.
 */
class PluginDirectoryTest {

    private static final Path EXAMPLE_JAR = Path.of("../custom-policy-plugin/target/tern-example-custom-policy-plugin.jar");

    @TempDir
    Path dir;

    private ClassLoader host() {
        return PluginDirectoryTest.class.getClassLoader();
    }

    @Test
    void aJarAndAFolderOfJarsAreEachAPluginWithItsOwnClassLoader() throws Exception {
        assertTrue(Files.isRegularFile(EXAMPLE_JAR), "build the example first: " + EXAMPLE_JAR.toAbsolutePath());
        Files.copy(EXAMPLE_JAR, dir.resolve("office.jar"));
        Path folder = Files.createDirectory(dir.resolve("office-folder"));
        Files.copy(EXAMPLE_JAR, folder.resolve("office.jar"));
        Files.writeString(dir.resolve("notes.txt"), "not a plugin");

        List<Plugin> plugins = PluginDirectory.load(dir, true, host());

        assertEquals(List.of("office-folder", "office.jar"), plugins.stream().map(Plugin::name).toList());
        assertTrue(plugins.get(0).classLoader() != plugins.get(1).classLoader());
        for (Plugin plugin : plugins) {
            List<String> types = ServiceLoader.load(PolicySourceProvider.class, plugin.classLoader()).stream()
                    .map(p -> p.get().type()).toList();
            assertEquals(List.of("office-hours"), types, "only the plugin's own providers, not the launcher's");
            Class<?> provider = plugin.classLoader().loadClass("dev.tern.examples.officehours.OfficeHoursProvider");
            assertSame(plugin.classLoader(), provider.getClassLoader(), "loaded from the plugin, not the class path");
        }
    }

    @Test
    void aPluginSeesTheApiAndNothingElseOfTheLauncher() throws Exception {
        Files.copy(EXAMPLE_JAR, dir.resolve("office.jar"));
        ClassLoader plugin = PluginDirectory.load(dir, true, host()).get(0).classLoader();
        assertSame(PolicySourceProvider.class, plugin.loadClass(PolicySourceProvider.class.getName()));
        assertSame(org.slf4j.Logger.class, plugin.loadClass(org.slf4j.Logger.class.getName()));
        assertSame(String.class, plugin.loadClass("java.lang.String"));
        assertThrows(ClassNotFoundException.class, () -> plugin.loadClass("com.fasterxml.jackson.databind.ObjectMapper"));
        assertThrows(ClassNotFoundException.class, () -> plugin.loadClass("dev.tern.policy.PolicyEngine"));
        assertEquals(null, plugin.getResource("META-INF/services/dev.tern.spi.CredentialIssuerProvider"));
    }

    @Test
    void aMissingDefaultDirectoryIsNoPluginsButAMissingGivenOneIsAMistake() {
        assertEquals(List.of(), PluginDirectory.load(dir.resolve("plugins"), false, host()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PluginDirectory.load(dir.resolve("plugins"), true, host()));
        assertEquals("--plugins " + dir.resolve("plugins") + ": no such directory", e.getMessage());
    }

    @Test
    void aPluginFolderWithoutAJarIsNamed() throws Exception {
        Files.createDirectory(dir.resolve("empty-plugin"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PluginDirectory.load(dir, true, host()));
        assertEquals("plugin folder " + dir.resolve("empty-plugin") + " holds no .jar file", e.getMessage());
    }
}
