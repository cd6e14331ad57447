package dev.tern.launcher;

import dev.tern.launcher.synapse.SynapseImport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tern import synapse homeserver.yaml [--output tern.yaml]}: Synapse's TURN keys as a Tern config. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Make a Tern config from another server's.",
        subcommands = ImportCommand.Synapse.class)
final class ImportCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a command: synapse");
    }

    /** {@code import synapse FILE}. */
    @Command(name = "synapse", mixinStandardHelpOptions = true,
            description = "Turn Synapse's turn_* keys into a tern.yaml (stdout, or --output, written with mode 600).")
    static final class Synapse implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "HOMESERVER_YAML", description = "Synapse's homeserver.yaml.")
        Path homeserver;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of stdout.")
        Path output;

        @Override
        public Integer call() {
            String text;
            try {
                text = Files.readString(homeserver);
            } catch (IOException e) {
                throw new LauncherException("Cannot read " + homeserver + " (" + e.getClass().getSimpleName() + ")", e);
            }
            String yaml;
            try {
                Path directory = homeserver.toAbsolutePath().getParent();
                yaml = SynapseImport.convert(text, homeserver.toString(), directory);
            } catch (IllegalArgumentException e) {
                throw new LauncherException(e.getMessage(), e);
            }
            OutputFile.write(output, yaml, spec.commandLine().getOut());
            return 0;
        }
    }
}
