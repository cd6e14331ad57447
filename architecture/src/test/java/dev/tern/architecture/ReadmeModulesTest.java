package dev.tern.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The README's module table and module sections match the build (#20, "the README's module section matches the
 * code"): every {@code <module>} of the parent pom has a row in the table of {@code ## Modules} and a {@code ###}
 * heading there, both naming its directory and its artifactId; and every artifactId the README names where it speaks
 * of artifacts (that table, those headings, the "What you need for what" table, {@code dev.tern:} coordinates) is one
 * the build makes. Read from the source tree; no Maven model, just the poms' own elements.
 */
class ReadmeModulesTest {

    /** The repository root: this module's parent directory (Maven runs tests in the module's directory). */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private static final Pattern ARTIFACT = Pattern.compile("`(tern-[a-z0-9-]+)`");
    private static final String TABLE_HEADER = "| Directory | Artifact |";
    private static final Pattern COORDINATE = Pattern.compile("dev\\.tern:(tern-[a-z0-9-]+)");

    /** Each module directory of the parent pom, in its order, with the artifactId its own pom declares. */
    private static Map<String, String> modules;
    private static String readme;

    @BeforeAll
    static void readBuildAndReadme() throws Exception {
        modules = new LinkedHashMap<>();
        for (String dir : childTexts(pom(ROOT.resolve("pom.xml")), "modules", "module")) {
            modules.put(dir, artifactId(ROOT.resolve(dir).resolve("pom.xml")));
        }
        assertTrue(modules.size() > 15, () -> "too few modules found in " + ROOT.resolve("pom.xml") + ": " + modules);
        readme = Files.readString(ROOT.resolve("README.md"));
    }

    @Test
    void everyModuleHasARowInTheModuleTable() {
        Map<String, List<String>> rows = moduleTableRows();
        List<String> missing = new ArrayList<>();
        modules.forEach((dir, artifactId) -> {
            List<String> row = rows.get("`" + dir + "`");
            if (row == null || row.size() < 2 || !row.get(1).equals("`" + artifactId + "`")) {
                missing.add(dir + " (" + artifactId + "): " + row);
            }
        });
        assertEquals(List.of(), missing, "modules whose row in the README's module table is missing or names "
                + "another artifact (expected | `dir` | `artifactId` | ...)");
    }

    @Test
    void everyRowOfTheModuleTableIsADirectoryOfTheRepository() {
        List<String> unknown = new ArrayList<>();
        moduleTableRows().forEach((cell, row) -> {
            String dir = cell.replace("`", "");
            if (!Files.isDirectory(ROOT.resolve(dir))) {
                unknown.add(dir);
            } else if (Files.exists(ROOT.resolve(dir).resolve("pom.xml")) && !modules.containsKey(dir)) {
                unknown.add(dir + " (has a pom.xml but is not a <module> of the parent pom)");
            }
        });
        assertEquals(List.of(), unknown, "rows of the README's module table that name no module");
    }

    @Test
    void everyModuleHasASectionNamingItsDirectoryAndArtifact() {
        List<String> headings = section("## Modules").lines().filter(line -> line.startsWith("### ")).toList();
        List<String> missing = new ArrayList<>();
        modules.forEach((dir, artifactId) -> {
            if (headings.stream().noneMatch(h -> h.contains("`" + dir + "`") && h.contains("`" + artifactId + "`"))) {
                missing.add(dir + " (" + artifactId + ")");
            }
        });
        assertEquals(List.of(), missing, "modules without a ### heading in the README's Modules section naming "
                + "`dir` and `artifactId`");
    }

    @Test
    void everyArtifactTheReadmeNamesIsOneTheBuildMakes() throws Exception {
        Set<String> built = new TreeSet<>(modules.values());
        built.add(artifactId(ROOT.resolve("pom.xml")));
        Set<String> named = new TreeSet<>();
        String modulesSection = section("## Modules");
        moduleTableRows().values().forEach(row -> named.addAll(matches(ARTIFACT, row.get(1))));
        modulesSection.lines().filter(line -> line.startsWith("### ")).forEach(h -> named.addAll(matches(ARTIFACT, h)));
        section("## Embedding").lines().filter(line -> line.startsWith("| "))
                .forEach(row -> named.addAll(matches(ARTIFACT, row)));
        named.addAll(matches(COORDINATE, readme));
        assertTrue(named.size() > 15, () -> "too few artifactIds found in the README: " + named);
        List<String> unknown = named.stream().filter(a -> !built.contains(a)).toList();
        assertEquals(List.of(), unknown, "artifactIds the README names that no pom of the build declares (built: "
                + built + ")");
    }

    /**
     * The rows of the module table (the one whose header starts {@code | Directory | Artifact |}, up to the first line
     * that is not a table row), keyed by their first cell (a backticked directory), cells trimmed.
     */
    private static Map<String, List<String>> moduleTableRows() {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        List<String> lines = section("## Modules").lines().toList();
        int header = 0;
        while (header < lines.size() && !lines.get(header).startsWith(TABLE_HEADER)) {
            header++;
        }
        assertTrue(header < lines.size(), () -> "no table starting " + TABLE_HEADER + " in the README's Modules "
                + "section");
        for (String line : lines.subList(header + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            List<String> cells = new ArrayList<>();
            for (String cell : line.substring(1).split("\\|")) {
                cells.add(cell.strip());
            }
            rows.put(cells.get(0), cells);
        }
        assertTrue(rows.size() > 15, () -> "too few rows found in the README's module table: " + rows.keySet());
        return rows;
    }

    /** From a level-two heading to the next one. */
    private static String section(String heading) {
        int start = readme.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, () -> "README.md has no heading " + heading);
        int end = readme.indexOf("\n## ", start + heading.length() + 2);
        return readme.substring(start + 1, end < 0 ? readme.length() : end);
    }

    private static List<String> matches(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static Document pom(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    /** The project's own artifactId (a direct child of {@code <project>}, not the parent's or a dependency's). */
    private static String artifactId(Path pomFile) throws Exception {
        List<String> ids = childTexts(pom(pomFile), null, "artifactId");
        assertEquals(1, ids.size(), () -> pomFile + " declares no artifactId of its own");
        return ids.get(0);
    }

    /** Texts of {@code <project><container><name>}, or of {@code <project><name>} when container is null. */
    private static List<String> childTexts(Document pom, String container, String name) {
        Element parent = pom.getDocumentElement();
        if (container != null) {
            parent = children(parent, container).stream().findFirst().orElse(null);
        }
        if (parent == null) {
            return List.of();
        }
        return children(parent, name).stream().map(e -> e.getTextContent().strip()).toList();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }
}
