package dev.tern.launcher.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Settings travel by name: no public constructor in Tern's main code takes more than {@value #MAX_PARAMETERS}
 * parameters, so no caller writes {@code null, null, true, null, ...} (issue #20, point 2).
 *
 * <p>A record may have more components when it offers a builder (a public static {@code builder()} whose
 * {@code build()} returns the record): its canonical constructor is then the form config files bind to through
 * Jackson, and Java callers name each setting with the builder. Anything else wider is listed in {@link #EXEMPT}
 * with the reason.
 *
 * <p>It reads the main classes of every Tern module on the launcher's test class path (which depends on all of
 * them but {@code bench}): {@code target/classes} directories in a reactor build, {@code tern-*.jar} otherwise.
 */
class SettingsByNameTest {

    /** "A handful". */
    static final int MAX_PARAMETERS = 6;

    /** Wider public constructors that stay, and why. Settings never belong here: give them a builder. */
    static final Map<String, String> EXEMPT = Map.of(
            "dev.tern.spi.AllocationView", "a snapshot the relay makes in one place (Allocation.view()) from its "
                    + "own fields, which plugins read and never build",
            "dev.tern.turn.client.StunResponse", "a parsed response, made by StunResponse.parse alone",
            "dev.tern.host.SimpleProviderContext", "the host's shared services handed to providers, not settings; "
                    + "its of(...) factories build the usual one",
            "dev.tern.relay.allocation.Allocation", "an allocation's sockets and timer, not settings, made by the "
                    + "Allocator alone from the TURN core's AllocationState",
            "dev.tern.relay.core.allocation.AllocationState", "an allocation's state, not settings, made by "
                    + "TurnCore.create alone from the request it admitted",
            "dev.tern.relay.core.request.PendingAllocation", "an admitted Allocate between its steps, not settings, "
                    + "made by TurnCore.allocate alone",
            "dev.tern.relay.core.request.AllocateRequest", "the attributes of one parsed Allocate, made by "
                    + "CoreRequests.allocate alone",
            "dev.tern.stun.StunCredentials", "the credential attributes of one parsed message, made by "
                    + "StunCredentials.of alone",
            "dev.tern.spi.RelayStatus", "a relay's heartbeat, a snapshot made in one place per relay (and read back "
                    + "from the fleet store), which plugins read and never configure",
            "dev.tern.relay.server.RelayRuntime", "the relay's collaborators, not settings, made by "
                    + "NettyRelayServer.start alone");

    @Test
    void noPublicConstructorInMainCodeTakesMoreThanAHandfulOfParameters() throws Exception {
        List<String> classes = mainClassNames();
        assertTrue(classes.contains("dev.tern.relay.RelayConfig"), "the scan found Tern's main classes: " + classes.size());
        TreeSet<String> wide = new TreeSet<>();
        ClassLoader loader = getClass().getClassLoader();
        for (String name : classes) {
            Class<?> type;
            Constructor<?>[] constructors;
            try {
                type = Class.forName(name, false, loader);
                constructors = type.getConstructors();
            } catch (LinkageError e) {
                wide.add(name + " (not readable here: " + e + ")");
                continue;
            }
            if (!visible(type) || EXEMPT.containsKey(type.getName())) {
                continue;
            }
            for (Constructor<?> constructor : constructors) {
                if (constructor.getParameterCount() > MAX_PARAMETERS && !boundRecordWithBuilder(type, constructor)) {
                    wide.add(type.getName() + " (" + constructor.getParameterCount() + " parameters)");
                }
            }
        }
        assertEquals(new TreeSet<>(), wide, "public constructors with more than " + MAX_PARAMETERS + " parameters: "
                + "name the settings (a builder, or a record per concern)");
    }

    @Test
    void everySettingsBuilderSetsEveryComponentByItsName() throws Exception {
        TreeSet<String> missing = new TreeSet<>();
        int builders = 0;
        for (String name : mainClassNames()) {
            Class<?> type;
            try {
                type = Class.forName(name, false, getClass().getClassLoader());
                if (!type.isRecord() || !visible(type) || builderType(type) == null) {
                    continue;
                }
            } catch (LinkageError e) {
                continue; // the first test names a class it cannot read
            }
            builders++;
            Class<?> builder = builderType(type);
            for (RecordComponent component : type.getRecordComponents()) {
                try {
                    builder.getMethod(component.getName(), component.getType());
                } catch (NoSuchMethodException e) {
                    if (!hasSetterNamed(builder, component.getName())) {
                        missing.add(type.getName() + "." + component.getName());
                    }
                }
            }
        }
        assertTrue(builders >= 6, "found the settings builders: " + builders);
        assertEquals(new TreeSet<>(), missing, "record components without a builder method of the same name");
    }

    private static boolean hasSetterNamed(Class<?> builder, String name) {
        for (Method method : builder.getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == 1
                    && method.getReturnType() == builder) {
                return true;
            }
        }
        return false;
    }

    /** The type {@code builder()} returns when its {@code build()} makes {@code type}, else null. */
    private static Class<?> builderType(Class<?> type) {
        for (Method method : type.getMethods()) {
            if (method.getName().equals("builder") && Modifier.isStatic(method.getModifiers())) {
                try {
                    Class<?> builder = method.getReturnType();
                    return builder.getMethod("build").getReturnType() == type ? builder : null;
                } catch (NoSuchMethodException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** A record whose canonical constructor is the bound form, with a builder for Java callers. */
    private static boolean boundRecordWithBuilder(Class<?> type, Constructor<?> constructor) {
        return type.isRecord() && constructor.getParameterCount() == type.getRecordComponents().length
                && builderType(type) != null;
    }

    /** Public, and reachable: every enclosing class public too. */
    private static boolean visible(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    private static List<String> mainClassNames() throws IOException {
        List<String> names = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            String file = path.getFileName() == null ? "" : path.getFileName().toString();
            if (Files.isDirectory(path) && file.equals("classes")) {
                try (Stream<Path> files = Files.walk(path)) {
                    files.map(path::relativize).map(Path::toString).forEach(f -> addClass(names, f));
                }
            } else if (Files.isRegularFile(path) && file.startsWith("tern-") && file.endsWith(".jar")
                    && !file.endsWith("-tests.jar")) {
                try (JarFile jar = new JarFile(path.toFile())) {
                    jar.stream().forEach(e -> addClass(names, e.getName()));
                }
            }
        }
        return names;
    }

    private static void addClass(List<String> names, String file) {
        String f = file.replace(File.separatorChar, '/');
        if (f.startsWith("dev/tern/") && f.endsWith(".class") && !f.endsWith("module-info.class")
                && !f.endsWith("package-info.class")) {
            names.add(f.substring(0, f.length() - ".class".length()).replace('/', '.'));
        }
    }
}
