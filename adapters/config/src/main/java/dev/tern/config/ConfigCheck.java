package dev.tern.config;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Loads and validates a config file without creating or starting anything: every section is bound to
 * its provider's config type, secret files are read, {@code ${ENV}} is expanded. What
 * {@code tern check-config} runs.
 *
 * <p>Stateless and thread-safe. Command line: {@code ConfigCheck [--print] FILE}; exit status 0 when
 * valid, 1 when not (problems on standard error, no stack trace), 2 for bad arguments.
 */
public final class ConfigCheck {

    private ConfigCheck() {
    }

    /**
     * The outcome of a check.
     *
     * @param origin the file checked
     * @param problems what is wrong; empty when the file is valid
     * @param effectiveConfig the effective config with secrets masked, or an empty string when invalid
     */
    public record Result(String origin, List<ConfigProblem> problems, String effectiveConfig) {
        public Result {
            Objects.requireNonNull(origin, "origin");
            problems = List.copyOf(problems);
            Objects.requireNonNull(effectiveConfig, "effectiveConfig");
        }

        /** Whether the file is valid. */
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /** Checks a file with the providers on the classpath and the process environment. */
    public static Result check(Path file) {
        return check(file, ConfigLoader.standard());
    }

    /** Checks a file with the given loader. */
    public static Result check(Path file, ConfigLoader loader) {
        return check(file, loader, config -> { });
    }

    /**
     * Checks a file with the given loader, then runs {@code sectionChecks} on the loaded config: the way
     * modules that own a section ({@code matrix}, {@code metrics}) bind it too, so a check covers the
     * whole file. A {@link ConfigException} thrown there is reported like the loader's own problems.
     */
    public static Result check(Path file, ConfigLoader loader, Consumer<TernConfig> sectionChecks) {
        try {
            TernConfig config = loader.load(file);
            sectionChecks.accept(config);
            return new Result(file.toString(), List.of(), config.effectiveConfig());
        } catch (ConfigException e) {
            return new Result(file.toString(), e.problems(), "");
        }
    }

    /** Prints the outcome; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean print = false;
        Path file = null;
        for (String arg : args) {
            if (arg.equals("--print")) {
                print = true;
            } else if (arg.startsWith("-") || file != null) {
                err.println("usage: ConfigCheck [--print] FILE");
                return 2;
            } else {
                file = Path.of(arg);
            }
        }
        if (file == null) {
            err.println("usage: ConfigCheck [--print] FILE");
            return 2;
        }
        Result result;
        try {
            result = check(file);
        } catch (IllegalStateException e) {
            err.println(e.getMessage()); // two providers with one type: a classpath problem, not the file's
            return 1;
        }
        if (!result.valid()) {
            err.println(new ConfigException(result.problems()).getMessage());
            return 1;
        }
        out.println(file + ": valid");
        if (print) {
            out.print(result.effectiveConfig());
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }
}
