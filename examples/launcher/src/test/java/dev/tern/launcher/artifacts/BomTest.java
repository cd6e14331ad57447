package dev.tern.launcher.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * tern-bom has no parent (so it manages no third-party version); this keeps it honest: the same version as the
 * build, every published artifact (each library module, whose pom does not skip its Javadoc jar, and the launcher)
 * listed, and nothing listed that the build does not make (tern-policy-ldap is listed ahead of its module).
 */
class BomTest {

    private static final Path ROOT = PublishedModules.ROOT;
    private static final Set<String> LISTED_AHEAD = Set.of("tern-policy-ldap");

    private static String text(Path pom) throws IOException {
        return PublishedModules.text(pom);
    }

    private static String ownVersion(String pom) {
        return PublishedModules.ownVersion(pom);
    }

    @Test
    void theBomListsEveryPublishedArtifactAtTheBuildsVersion() throws IOException {
        String parent = text(ROOT.resolve("pom.xml"));
        String bom = text(ROOT.resolve("bom/pom.xml"));
        assertEquals(ownVersion(parent), ownVersion(bom), "tern-bom's version follows tern-parent's");

        Set<String> published = new TreeSet<>();
        Set<String> built = new TreeSet<>();
        for (PublishedModules.Module module : PublishedModules.all()) {
            built.add(module.artifactId());
            if (module.published()) {
                published.add(module.artifactId());
            }
        }
        published.add("tern-launcher");

        List<String> listed = new ArrayList<>();
        Matcher entries = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(
                bom.substring(bom.indexOf("<dependencyManagement>"), bom.indexOf("</dependencyManagement>")));
        while (entries.find()) {
            listed.add(entries.group(1));
        }
        assertTrue(listed.containsAll(published), "missing from tern-bom: " + published.stream()
                .filter(a -> !listed.contains(a)).toList());
        for (String artifactId : listed) {
            assertTrue(built.contains(artifactId) || LISTED_AHEAD.contains(artifactId),
                    artifactId + " is listed in tern-bom but no module builds it");
        }
        assertTrue(!listed.contains("tern-testing") && !listed.contains("tern-bench"), listed.toString());
    }

    /**
     * The modules inherit licence, SCM, URL, organization and developers from tern-parent, and its enforcer rules
     * check each module's effective POM for them; tern-bom has no parent, so it must repeat them, the same.
     */
    @Test
    void theBomCarriesTheParentsLicenceScmUrlOrganizationAndDevelopersAndTheLicenceFileExists() throws IOException {
        String parent = text(ROOT.resolve("pom.xml"));
        String bom = text(ROOT.resolve("bom/pom.xml"));
        for (String element : List.of("url", "licenses", "scm", "organization", "developers")) {
            String inParent = element(parent, element);
            assertTrue(!inParent.isBlank(), "tern-parent has <" + element + ">");
            assertEquals(inParent, element(bom, element), "tern-bom's <" + element + "> is tern-parent's");
        }
        assertTrue(element(parent, "licenses").contains("<name>Apache-2.0</name>"), parent);
        assertTrue(Files.readString(ROOT.resolve("LICENSE")).contains("Apache License\n                           "
                + "Version 2.0, January 2004"), "LICENSE holds the Apache License 2.0 text");
        assertTrue(parent.contains("<requireProperty>") && parent.contains("<property>project.scm.url</property>"),
                "tern-parent's enforcer checks every module's effective POM");
    }

    /** The first {@code <name>...</name>} outside {@code <parent>}, attributes dropped, whitespace normalised. */
    private static String element(String pom, String name) {
        Matcher m = Pattern.compile("(?s)<" + name + "(\\s[^>]*)?>(.*?)</" + name + ">")
                .matcher(pom.replaceFirst("(?s)<parent>.*?</parent>", ""));
        return m.find() ? m.group(2).replaceAll("\\s+", " ").trim() : "";
    }
}
