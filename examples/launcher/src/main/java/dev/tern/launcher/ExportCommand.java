package dev.tern.launcher;

import dev.tern.config.TernConfig;
import dev.tern.credentials.rest.RestCredentialsConfig;
import dev.tern.launcher.coturn.CoturnExport;
import dev.tern.relay.RelayConfig;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tern export coturn [--config tern.yaml] [--output turnserver.conf]}. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Make another server's config from Tern's.",
        subcommands = ExportCommand.Coturn.class)
final class ExportCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a command: coturn");
    }

    /** {@code export coturn}. */
    @Command(name = "coturn", mixinStandardHelpOptions = true,
            description = "Write a turnserver.conf with the same secrets, realm, ports and peer rules "
                    + "(stdout, or --output, written with mode 600).")
    static final class Coturn implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOptions options;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of stdout.")
        Path output;

        @Override
        public Integer call() {
            TernConfig config = options.load(options.configLoader(), spec.commandLine().getErr());
            var credentials = config.credentials().orElseThrow(() -> new LauncherException(
                    config.origin() + ": coturn needs a credentials section of type rest (use-auth-secret)"));
            if (!(credentials.config() instanceof RestCredentialsConfig rest)) {
                throw new LauncherException(config.origin() + ": credentials.type is " + credentials.type()
                        + "; coturn can share only type rest (TURN REST API secrets) with Tern");
            }
            Optional<RelayConfig> relay = config.relay().map(r -> r.config())
                    .filter(RelayConfig.class::isInstance).map(RelayConfig.class::cast);
            String text;
            try {
                text = CoturnExport.render(rest, relay, config.serverName());
            } catch (IllegalArgumentException e) {
                throw new LauncherException(config.origin() + ": " + e.getMessage(), e);
            }
            OutputFile.write(output, text, spec.commandLine().getOut());
            return 0;
        }
    }
}
