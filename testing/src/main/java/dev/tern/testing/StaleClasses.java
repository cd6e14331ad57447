package dev.tern.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Which classes of a fat jar differ from the same classes on a class loader's class path: a launcher jar shaded
 * from stale inputs, or one older than the code that runs it, holds relay classes the build no longer makes.
 *
 * <p>Only classes under a package prefix are compared (Tern's own, {@code dev/tern/}): a multi-release
 * dependency jar on the class path can legitimately serve a versioned copy that differs from the fat jar's root
 * entry. Classes the loader does not have are left out. Stateless.
 *
 * @param compared how many classes were found in both and compared
 * @param differing the entry names whose bytes differ, in the jar's order
 */
public record StaleClasses(int compared, List<String> differing) {

    public StaleClasses {
        differing = List.copyOf(differing);
    }

    /**
     * Compares every {@code .class} entry of {@code jar} under {@code prefix} (for example {@code dev/tern/relay/})
     * with what {@code loader} returns for the same name, byte for byte.
     *
     * @throws IOException when the jar cannot be read
     */
    public static StaleClasses in(Path jar, String prefix, ClassLoader loader) throws IOException {
        int compared = 0;
        List<String> differing = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (!name.startsWith(prefix) || !name.endsWith(".class")) {
                    continue;
                }
                URL resource = loader.getResource(name);
                if (resource == null) {
                    continue;
                }
                byte[] inJar;
                try (InputStream in = file.getInputStream(entry)) {
                    inJar = in.readAllBytes();
                }
                byte[] onPath;
                try (InputStream in = resource.openStream()) {
                    onPath = in.readAllBytes();
                }
                compared++;
                if (!Arrays.equals(inJar, onPath)) {
                    differing.add(name);
                }
            }
        }
        return new StaleClasses(compared, differing);
    }

    /** Nothing differs. */
    public boolean fresh() {
        return differing.isEmpty();
    }
}
