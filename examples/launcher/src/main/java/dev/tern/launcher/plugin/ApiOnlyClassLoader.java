package dev.tern.launcher.plugin;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;

/**
 * The parent of every plugin's class loader: it shows a plugin the JDK and, from the launcher, only the API
 * a plugin is written against ({@code dev.tern.api}, {@code dev.tern.spi} from tern-api, and SLF4J's API), so a
 * plugin's own libraries never clash with the launcher's (its Jackson, Netty, Guice are invisible) and the
 * launcher's {@code META-INF/services} are not found again through a plugin. Thread-safe.
 */
final class ApiOnlyClassLoader extends ClassLoader {

    /** Package prefixes (as class names and as resource paths) the launcher shares with plugins. */
    static final List<String> SHARED_PACKAGES = List.of("dev.tern.api.", "dev.tern.spi.", "org.slf4j.");

    private final ClassLoader host;

    ApiOnlyClassLoader(ClassLoader host) {
        super("tern-plugin-api", ClassLoader.getPlatformClassLoader());
        this.host = Objects.requireNonNull(host, "host");
    }

    static boolean shared(String className) {
        for (String prefix : SHARED_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sharedResource(String name) {
        return shared(name.replace('/', '.'));
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        // Reached when the platform loader does not know the class: only the API comes from the launcher.
        if (shared(name)) {
            return host.loadClass(name);
        }
        throw new ClassNotFoundException(name + " (a plugin sees only the JDK, tern-api and slf4j-api from the "
                + "launcher: put the libraries it needs in its own folder)");
    }

    @Override
    protected URL findResource(String name) {
        return sharedResource(name) ? host.getResource(name) : null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        return sharedResource(name) ? host.getResources(name) : Collections.emptyEnumeration();
    }
}
