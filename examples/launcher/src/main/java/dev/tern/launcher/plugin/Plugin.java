package dev.tern.launcher.plugin;

import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * One plugin of the plugin directory: a jar, or a folder of jars, loaded by its own class loader.
 *
 * @param name the jar's or the folder's file name
 * @param jars the jars on its class path, sorted
 * @param classLoader its class loader, whose parent shows only the API; open as long as the process runs
 */
public record Plugin(String name, List<Path> jars, URLClassLoader classLoader) {

    public Plugin {
        jars = List.copyOf(jars);
    }
}
