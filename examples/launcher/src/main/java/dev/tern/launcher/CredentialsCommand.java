package dev.tern.launcher;

import dev.tern.api.CredentialsOutcome;
import dev.tern.spi.TurnCredentials;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tern credentials issue @alice:example.org}: prints TURN credentials for a user, as the
 * {@code /voip/turnServer} endpoint would issue them (like coturn's {@code turnadmin}). Policy applies:
 * a refused user gets the reason and exit status 1.
 */
@Command(name = "credentials", mixinStandardHelpOptions = true, description = "TURN credentials.",
        subcommands = CredentialsCommand.Issue.class)
final class CredentialsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a command: issue");
    }

    /** {@code credentials issue USER}. */
    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Print TURN credentials for a user (policy applies).")
    static final class Issue extends SubjectQuestion {

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            CredentialsOutcome outcome = ask((tern, subject) -> await(tern.credentialsFor(subject)));
            if (outcome instanceof CredentialsOutcome.Issued issued) {
                TurnCredentials credentials = issued.credentials();
                out.println("username: " + credentials.username());
                out.println("password: " + credentials.password());
                out.println("uris: " + String.join(" ", credentials.uris()));
                out.println("ttl: " + credentials.ttl().toSeconds());
                out.flush();
                return 0;
            }
            if (outcome instanceof CredentialsOutcome.Refused refused) {
                err.println("Refused (" + refused.reason() + "): " + refused.message());
            } else {
                err.println("No credentials are configured (the config has no credentials section)");
            }
            err.flush();
            return 1;
        }
    }
}
