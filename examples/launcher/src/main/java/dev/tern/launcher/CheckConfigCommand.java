package dev.tern.launcher;

import dev.tern.config.ConfigCheck;
import dev.tern.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tern check-config FILE}: loads and validates every section without starting anything and prints
 * the effective config, defaults applied and secrets masked. Exit status 0 when valid, 1 when not (each
 * problem with file, key path and line on standard error), 2 for bad arguments.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a config file and print the effective config with secrets masked.")
final class CheckConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The config file to check.")
    Path file;

    @Mixin
    PluginOptions plugins;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> explained = new ArrayList<>();
        ConfigCheck.Result result = ConfigCheck.check(file, plugins.configLoader(), config -> {
            Sections.check(config);
            explained.addAll(SharedPorts.explain(config, Sections.adminOnSharedPort(config)));
        });
        if (!result.valid()) {
            err.println(new ConfigException(result.problems()).getMessage());
            err.flush();
            return 1;
        }
        out.println("# " + file + ": valid");
        explained.forEach(line -> out.println("# " + line));
        out.print(result.effectiveConfig()); // access tokens masked by where they are, as every secret
        out.flush();
        return 0;
    }
}
