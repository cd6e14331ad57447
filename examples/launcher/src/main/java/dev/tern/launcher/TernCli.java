package dev.tern.launcher;

import dev.tern.config.ConfigException;
import dev.tern.relay.RelayProcessDefaults;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code tern} command: {@code serve}, {@code check-config}, {@code credentials issue},
 * {@code policy explain}, {@code import synapse} and {@code export coturn}.
 *
 * <p>Exit status: 0 on success, 1 when the config or the work fails (the message, never a stack trace,
 * on standard error), 2 for bad arguments. One instance per run; not thread-safe.
 */
@Command(name = "tern", mixinStandardHelpOptions = true, versionProvider = LauncherVersion.class,
        description = "TURN credentials, forced-relay policy and a TURN relay for Matrix homeservers.",
        subcommands = {ServeCommand.class, CheckConfigCommand.class, CredentialsCommand.class, PolicyCommand.class,
            ImportCommand.class, ExportCommand.class, ProbeCommand.class, DrainCommand.class})
public final class TernCli implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command (try tern --help)");
    }

    /** A command line ready to {@link CommandLine#execute execute}, with Tern's error handling. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TernCli());
        cli.setExecutionExceptionHandler(TernCli::failure);
        return cli;
    }

    public static void main(String[] args) {
        // This process is a relay: Netty's sampled leak detection costs a packet-rate application dearly.
        RelayProcessDefaults.disableLeakDetectionUnlessConfigured();
        System.exit(commandLine().execute(args));
    }

    // A user's mistake gets its message, not a stack trace; a bug still shows where it happened.
    private static int failure(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (e instanceof ConfigException || e instanceof LauncherException) {
            err.println(e.getMessage());
        } else {
            err.println("tern: " + e);
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }
}
