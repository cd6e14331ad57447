package dev.tern.launcher.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The launcher's plugin directory, as Trino has one: each {@code *.jar} directly in it is a plugin, and so is
 * each folder in it (all the {@code *.jar} files in that folder, for a plugin with libraries of its own). Each
 * plugin gets its own class loader whose parent shows only the JDK, tern-api and slf4j-api
 * ({@link ApiOnlyClassLoader}), so two plugins never see each other nor the launcher's libraries. Other files are
 * ignored. The class loaders stay open for the life of the process. Stateless.
 */
public final class PluginDirectory {

    private PluginDirectory() {
    }

    /**
     * Finds the plugins in {@code directory}, sorted by name.
     *
     * @param required whether a missing directory is a mistake (given with {@code --plugins}) or means no
     *     plugins (the default {@code ./plugins})
     * @throws IllegalArgumentException when a required directory is missing, is not a directory, or a plugin
     *     folder holds no jar; the message names the path
     * @throws UncheckedIOException when the directory cannot be read
     */
    public static List<Plugin> load(Path directory, boolean required, ClassLoader host) {
        if (!Files.exists(directory)) {
            if (required) {
                throw new IllegalArgumentException("--plugins " + directory + ": no such directory");
            }
            return List.of();
        }
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("--plugins " + directory + ": not a directory");
        }
        ApiOnlyClassLoader api = new ApiOnlyClassLoader(host);
        List<Plugin> plugins = new ArrayList<>();
        for (Path entry : sorted(directory)) {
            List<Path> jars;
            if (Files.isDirectory(entry)) {
                jars = sorted(entry).stream().filter(PluginDirectory::isJar).toList();
                if (jars.isEmpty()) {
                    throw new IllegalArgumentException("plugin folder " + entry + " holds no .jar file");
                }
            } else if (isJar(entry)) {
                jars = List.of(entry);
            } else {
                continue;
            }
            URL[] urls = jars.stream().map(PluginDirectory::url).toArray(URL[]::new);
            String name = entry.getFileName().toString();
            plugins.add(new Plugin(name, jars, new URLClassLoader("tern-plugin-" + name, urls, api)));
        }
        return plugins;
    }

    private static boolean isJar(Path file) {
        return Files.isRegularFile(file) && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar");
    }

    private static List<Path> sorted(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the plugin directory " + directory, e);
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toAbsolutePath().toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("plugin jar " + jar + ": " + e.getMessage(), e);
        }
    }
}
