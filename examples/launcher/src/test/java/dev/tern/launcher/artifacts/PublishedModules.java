package dev.tern.launcher.artifacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The build's modules as tern-parent lists them, read from their poms (comments dropped): which artifact each
 * makes, and whether it is published (a jar whose pom does not skip its Javadoc jar). Shared by the artifact checks.
 */
final class PublishedModules {

    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    /** One module of the build. */
    record Module(Path dir, String artifactId, String pom) {

        /** A library jar with a Javadoc jar: what the BOM lists and Maven Central gets. */
        boolean published() {
            boolean library = pom.contains("<packaging>jar</packaging>") || !pom.contains("<packaging>");
            return library && !pom.contains("<maven.javadoc.skip>true</maven.javadoc.skip>");
        }

        /** The {@code tern.module.name} property the module sets, empty when it sets none. */
        String moduleName() {
            Matcher m = Pattern.compile("<tern.module.name>([^<]+)</tern.module.name>").matcher(pom);
            return m.find() ? m.group(1).strip() : "";
        }
    }

    private PublishedModules() {
    }

    static String text(Path pom) throws IOException {
        return Files.readString(pom).replaceAll("(?s)<!--.*?-->", "");
    }

    static String ownArtifactId(String pom) {
        return first("<artifactId>([^<]+)</artifactId>", pom);
    }

    static String ownVersion(String pom) {
        return first("<version>([^<]+)</version>", pom);
    }

    private static String first(String regex, String pom) {
        Matcher m = Pattern.compile(regex).matcher(pom.replaceFirst("(?s)<parent>.*?</parent>", ""));
        if (!m.find()) {
            throw new IllegalStateException("no " + regex + " outside <parent> in a pom");
        }
        return m.group(1);
    }

    /** Every module tern-parent lists, in its order. */
    static List<Module> all() throws IOException {
        String parent = text(ROOT.resolve("pom.xml"));
        List<Module> modules = new ArrayList<>();
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
        while (m.find()) {
            Path dir = ROOT.resolve(m.group(1));
            String pom = text(dir.resolve("pom.xml"));
            modules.add(new Module(dir, ownArtifactId(pom), pom));
        }
        return modules;
    }
}
