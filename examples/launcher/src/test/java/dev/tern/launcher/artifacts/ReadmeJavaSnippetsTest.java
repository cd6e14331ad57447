package dev.tern.launcher.artifacts;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md compiles against the real modules (this module's test class path has all
 * of them). The blocks are extracted from the README itself, not kept in a test file the README quotes, so what a
 * reader copies is exactly what was compiled. A block's leading {@code import} lines become the file's imports and
 * the rest the body of a method that may throw; so a block must declare everything it uses.
 */
class ReadmeJavaSnippetsTest {

    private static final Path README = Path.of("../../README.md");
    private static final Pattern BLOCK = Pattern.compile("(?s)```java\\n(.*?)```");

    @TempDir
    Path out;

    private record Snippet(int line, String source) {
    }

    @Test
    void everyJavaBlockOfTheReadmeCompiles() throws IOException {
        String readme = Files.readString(README);
        List<Snippet> snippets = new ArrayList<>();
        Matcher m = BLOCK.matcher(readme);
        while (m.find()) {
            int line = readme.substring(0, m.start()).split("\n", -1).length;
            snippets.add(new Snippet(line, m.group(1)));
        }
        assertTrue(snippets.size() >= 4, "the README's Java blocks were found: " + snippets.size());

        List<JavaFileObject> files = new ArrayList<>();
        for (Snippet snippet : snippets) {
            StringBuilder imports = new StringBuilder();
            StringBuilder body = new StringBuilder();
            for (String text : snippet.source().split("\n")) {
                (body.length() == 0 && (text.startsWith("import ") || text.isBlank()) ? imports : body)
                        .append(text).append('\n');
            }
            String name = "ReadmeLine" + snippet.line();
            String source = imports + "class " + name + " {\n@SuppressWarnings(\"unused\")\nvoid snippet() throws Exception {\n"
                    + body + "}\n}\n";
            files.add(new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            });
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean compiled = javac.getTask(new StringWriter(), null, diagnostics, List.of("-proc:none", "-d",
                out.toString(), "-classpath", System.getProperty("java.class.path")), null, files).call();
        StringBuilder errors = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.append("README.md block at line ").append(d.getSource().getName().replaceAll("\\D", ""))
                        .append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
            }
        }
        assertTrue(compiled && errors.length() == 0, errors.toString());
    }
}
