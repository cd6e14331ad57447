package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.admin.AdminConfig;
import dev.tern.config.ConfigException;
import dev.tern.config.ConfigLoader;
import dev.tern.config.ConfigProblem;
import dev.tern.config.ConfigSection;
import dev.tern.config.ProviderCatalog;
import dev.tern.config.TernConfig;
import dev.tern.matrix.http.MatrixConfig;
import dev.tern.spi.AccessTokenVerifierProvider;
import dev.tern.spi.AddressRange;
import dev.tern.spi.Bitrate;
import dev.tern.spi.Provider;
import dev.tern.spi.TurnPolicy;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/config.md documents every key the config binding accepts, and lists no key it refuses (README: "The keys
 * are documented in docs/config.md").
 *
 * <p>The keys accepted at each place come from the binding itself: the test writes a config with an unknown key
 * {@code zz_probe} there and reads the list the error gives ({@code known keys here: ...}), so the extra keys a
 * section takes besides its record's components ({@code type}, a policy source's {@code name}, {@code on_error},
 * {@code timeout}, {@code relay.drain_deadline}, the {@code x_file} form of a secret) count too. Which keys hold a
 * nested mapping comes from the config records' components (records, lists of records), the provider catalogs
 * (each {@code type} of {@code credentials}, {@code relay}, {@code fleet}, {@code policy.sources},
 * {@code matrix.access_tokens}) and {@code sections} for the parts the launcher binds by hand.
 *
 * <p>docs/config.md marks each key table with {@code <!-- keys under: PATH -->} (several paths separated by
 * commas; {@code -} is the top level); the first backquoted word of each row is a key relative to PATH. Paths are
 * written {@code relay{netty}.tls.cert_file}: {@code {type}} after a section chosen by {@code type:}
 * ({@code {*}}: every type), {@code []} after a list of mappings. The {@code x_file}/{@code x_files} forms of
 * secrets are documented once under "Value syntax" and may, but need not, be listed.
 */
class DocumentedConfigKeysTest {

    private static final Path CONFIG_MD = Path.of("../../docs/config.md");
    private static final String PROBE = "zz_probe";
    private static final Pattern MARKER = Pattern.compile("<!--\\s*keys under:\\s*(.+?)\\s*-->");
    private static final Pattern FIRST_CODE = Pattern.compile("`([^`]+)`");
    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
    /** Records the config reads from one string (ConfigDeserializers), so not mappings with keys. */
    private static final Set<Class<?>> SCALAR_RECORDS = Set.of(Bitrate.class, AddressRange.class);

    private final ConfigLoader loader = ConfigLoader.standard();
    private final ProviderCatalog<AccessTokenVerifierProvider<?>> accessTokens = accessTokenCatalog();

    /** What each top-level key (and {@code policy}'s keys) holds: the parts the launcher and loader bind by hand. */
    private final Map<String, Shape> sections = Map.of(
            "server_name", new Leaf(),
            "data_directory", new Leaf(),
            "credentials", new ByType(loader.credentialIssuers()),
            "relay", new ByType(loader.relayServers()),
            "fleet", new ByType(loader.fleets()),
            "policy", new Keys(Map.of("defaults", new Fields(TurnPolicy.class),
                    "sources", new ListOf(new ByType(loader.policySources())))),
            "matrix", new Fields(MatrixConfig.class),
            "metrics", new Fields(AdminConfig.class),
            "matrix.access_tokens", new ByType(accessTokens));

    @Test
    void everyKeyTheConfigAcceptsIsInConfigMdAndConfigMdListsNoOtherKey() throws Exception {
        Accepted accepted = new Accepted(new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
        visit(List.of(), new Keys(Map.of()), accepted);
        assertTrue(accepted.required().contains("relay{netty}.tls.cert_file")
                && accepted.required().contains("policy.sources[]{ldap}.rules[].set.force_relay")
                && accepted.required().contains("matrix.access_tokens{static}.users[].token"),
                "the walk reached nested records, lists and provider types: " + accepted.required());

        List<String> documented = documentedKeys(Files.readString(CONFIG_MD));
        List<Pattern> documentedPatterns = documented.stream().map(DocumentedConfigKeysTest::pathPattern).toList();

        TreeSet<String> undocumented = new TreeSet<>();
        for (String key : accepted.required()) {
            if (documentedPatterns.stream().noneMatch(p -> p.matcher(key).matches())) {
                undocumented.add(key);
            }
        }
        for (String section : accepted.sections()) {
            if (documentedPatterns.stream().noneMatch(p -> p.matcher(section).matches())
                    && !startsUnder(documented, section)) {
                undocumented.add(section + " (nor any key under it)");
            }
        }
        TreeSet<String> unknown = new TreeSet<>();
        for (String key : documented) {
            Pattern p = pathPattern(key);
            if (accepted.all().stream().noneMatch(a -> p.matcher(a).matches())) {
                unknown.add(key);
            }
        }
        assertEquals(new TreeSet<>(), undocumented, "keys the config accepts that docs/config.md has in no key table");
        assertEquals(new TreeSet<>(), unknown, "keys docs/config.md lists that the config refuses");
    }

    private static boolean startsUnder(List<String> documented, String section) {
        return documented.stream().anyMatch(d -> d.length() > section.length() && d.startsWith(section)
                && ".[{".indexOf(d.charAt(section.length())) >= 0);
    }

    /** Every key path, the keys that must be documented, the mappings (documented, or a key under them). */
    private record Accepted(Set<String> all, Set<String> required, Set<String> sections) {
    }

    /** What a key holds. */
    private sealed interface Shape permits Leaf, Fields, Keys, ByType, ListOf {
    }

    /** A value with no keys of its own. */
    private record Leaf() implements Shape {
    }

    /** A mapping bound to a config record. */
    private record Fields(Class<?> type) implements Shape {
    }

    /** A mapping the loader reads by hand; {@code children} says what its keys hold (a leaf if absent). */
    private record Keys(Map<String, Shape> children) implements Shape {
    }

    /** A mapping whose {@code type:} picks a provider, and with it the record for the other keys. */
    private record ByType(ProviderCatalog<? extends Provider<?>> catalog) implements Shape {
    }

    /** A list of such values. */
    private record ListOf(Shape item) implements Shape {
    }

    /** One step of a key path: the key, whether it is a list entry, the {@code type} chosen there. */
    private record Step(String key, boolean list, String type) {

        Step typed(String t) {
            return new Step(key, list, t);
        }

        Step listed() {
            return new Step(key, true, type);
        }

        @Override
        public String toString() {
            return key + (list ? "[]" : "") + (type == null ? "" : "{" + type + "}");
        }
    }

    private void visit(List<Step> at, Shape shape, Accepted accepted) {
        if (shape instanceof ListOf list) {
            List<Step> listed = new ArrayList<>(at);
            listed.set(listed.size() - 1, last(at).listed());
            visit(listed, list.item(), accepted);
        } else if (shape instanceof ByType byType) {
            List<String> types = byType.catalog().types().stream().filter(t -> published(byType, t)).toList();
            assertTrue(!types.isEmpty(), "providers found for " + path(at));
            for (String type : types) {
                List<Step> typed = new ArrayList<>(at);
                typed.set(typed.size() - 1, last(at).typed(type));
                Class<?> configType = byType.catalog().find(type).orElseThrow().configType();
                visitKeys(typed, probe(typed), key -> key.equals("type") ? Optional.empty()
                        : componentShape(typed, configType, key), accepted);
            }
        } else if (shape instanceof Fields fields) {
            visitKeys(at, probe(at), key -> componentShape(at, fields.type(), key), accepted);
        } else if (shape instanceof Keys keys) {
            visitKeys(at, probe(at), key -> Optional.of(at.isEmpty() ? topLevel(key)
                    : keys.children().getOrDefault(key, new Leaf())), accepted);
        }
    }

    /** Tern's own providers; the example plugin on this module's test class path documents itself. */
    private static boolean published(ByType byType, String type) {
        return !byType.catalog().find(type).orElseThrow().getClass().getName().startsWith("dev.tern.examples.");
    }

    /**
     * Records each key found at {@code at} and visits what it holds; {@code shapes} gives a key's shape, or empty
     * for a key that need not be documented in a table (a provider section's {@code type}, named by its heading;
     * the {@code x_file} form of a secret).
     */
    private void visitKeys(List<Step> at, List<String> keys, Function<String, Optional<Shape>> shapes,
            Accepted accepted) {
        for (String key : keys) {
            List<Step> child = new ArrayList<>(at);
            child.add(new Step(key, false, null));
            String path = path(child);
            accepted.all().add(path);
            Optional<Shape> shape = shapes.apply(key);
            if (shape.isEmpty()) {
                continue;
            }
            if (shape.get() instanceof Leaf) {
                accepted.required().add(path);
            } else {
                accepted.sections().add(path);
            }
            visit(child, shape.get(), accepted);
        }
    }

    private Shape topLevel(String key) {
        Shape shape = sections.get(key);
        if (shape == null) {
            fail("the top-level key '" + key + "' is new: say in sections what it holds, and document it");
        }
        return shape;
    }

    /**
     * What the component of {@code type} with config key {@code key} holds; empty for the {@code x_file} form of a
     * secret; a leaf for the other keys the section takes besides its components ({@code drain_deadline}...).
     */
    private Optional<Shape> componentShape(List<Step> at, Class<?> type, String key) {
        String path = path(at).replaceAll("\\{[^}]*}", "").replace("[]", "") + "." + key;
        if (sections.containsKey(path)) {
            return Optional.of(sections.get(path));
        }
        for (RecordComponent component : type.getRecordComponents()) {
            if (SNAKE.translate(component.getName()).equals(key)) {
                return Optional.of(shapeOf(component.getGenericType()));
            }
        }
        return key.endsWith("_file") || key.endsWith("_files") ? Optional.empty() : Optional.of(new Leaf());
    }

    private static Shape shapeOf(Type type) {
        Class<?> raw = raw(type);
        if (raw == Optional.class) {
            return shapeOf(argument(type, 0));
        }
        if (Collection.class.isAssignableFrom(raw)) {
            Shape item = shapeOf(argument(type, 0));
            return item instanceof Leaf ? item : new ListOf(item);
        }
        if (raw.isRecord() && raw.getName().startsWith("dev.tern.") && !SCALAR_RECORDS.contains(raw)) {
            return new Fields(raw);
        }
        return new Leaf();
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    private static Type argument(Type type, int index) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
    }

    private static Step last(List<Step> at) {
        return at.get(at.size() - 1);
    }

    private static String path(List<Step> at) {
        return String.join(".", at.stream().map(Step::toString).toList());
    }

    /**
     * The keys the binding accepts at {@code at}: from the error for an unknown key written there, which lists
     * them. Sections the loader leaves to others ({@code matrix}, {@code metrics}) are bound as the launcher binds
     * them.
     */
    private List<String> probe(List<Step> at) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("server_name", "probe.example");
        ObjectNode node = root;
        for (Step step : at) {
            ObjectNode next = step.list() ? node.putArray(step.key()).addObject() : node.putObject(step.key());
            if (step.type() != null) {
                next.put("type", step.type());
            }
            node = next;
        }
        node.put(PROBE, 1);
        String text = root.toString();
        try {
            TernConfig config = loader.parse(text, "probe.yaml", Path.of("."));
            if (!at.isEmpty() && at.get(0).key().equals("matrix")) {
                ConfigSection matrix = config.matrix().orElseThrow();
                if (at.size() > 1 && at.get(1).key().equals("access_tokens")) {
                    matrix.section("access_tokens").orElseThrow().bindProvider(accessTokens);
                } else {
                    matrix.bind(MatrixConfig.class);
                }
            } else if (!at.isEmpty() && at.get(0).key().equals("metrics")) {
                config.metrics().orElseThrow().bind(AdminConfig.class);
            }
        } catch (ConfigException e) {
            for (ConfigProblem problem : e.problems()) {
                int known = problem.message().indexOf("known keys here: ");
                if (problem.path().endsWith(PROBE) && known >= 0) {
                    return Arrays.asList(problem.message().substring(known + "known keys here: ".length()).split(", "));
                }
            }
            throw new AssertionError("no list of known keys for " + text + ": " + e.getMessage(), e);
        }
        throw new AssertionError("the unknown key " + PROBE + " was accepted in " + text);
    }

    /** The key paths of every marked table of docs/config.md. */
    static List<String> documentedKeys(String markdown) {
        List<String> keys = new ArrayList<>();
        List<String> lines = markdown.lines().toList();
        int tables = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher marker = MARKER.matcher(lines.get(i));
            if (!marker.find()) {
                continue;
            }
            tables++;
            List<String> bases = Arrays.stream(marker.group(1).split(",")).map(String::strip)
                    .map(b -> b.equals("-") ? "" : b).toList();
            int row = i + 1;
            while (row < lines.size() && lines.get(row).isBlank()) {
                row++;
            }
            assertTrue(row + 2 < lines.size() && lines.get(row).startsWith("|") && lines.get(row + 1).startsWith("|-"),
                    "docs/config.md line " + (i + 1) + ": a table follows the marker");
            for (row += 2; row < lines.size() && lines.get(row).startsWith("|"); row++) {
                String cell = lines.get(row).split("\\|")[1];
                Matcher code = FIRST_CODE.matcher(cell);
                assertTrue(code.find(), "docs/config.md line " + (row + 1) + ": the first cell names a key");
                for (String base : bases) {
                    keys.add(base.isEmpty() ? code.group(1) : base + "." + code.group(1));
                }
            }
        }
        assertTrue(tables >= 10, "docs/config.md's key tables were found: " + tables);
        return keys;
    }

    /** A documented path as a pattern: {@code {*}} stands for every type. */
    private static Pattern pathPattern(String documented) {
        StringBuilder regex = new StringBuilder();
        for (String part : documented.split("\\{\\*}", -1)) {
            if (regex.length() > 0) {
                regex.append("\\{[^}]+}");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // ServiceLoader cannot express AccessTokenVerifierProvider<?>
    private static ProviderCatalog<AccessTokenVerifierProvider<?>> accessTokenCatalog() {
        return (ProviderCatalog) ProviderCatalog.discover(AccessTokenVerifierProvider.class);
    }
}
