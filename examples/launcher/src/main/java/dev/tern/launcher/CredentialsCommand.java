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
        subcommands = {CredentialsCommand.Issue.class, CredentialsCommand.Revoke.class})
final class CredentialsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a command: issue, revoke");
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

    /**
     * {@code credentials revoke USER} (#18): records the revocation in the fleet's Redis (the config's {@code fleet}
     * section); every relay of the fleet refuses the user's credentials issued before now and closes its
     * allocations within 2 s. Exit status 1 when there is no fleet or Redis cannot be reached.
     */
    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a user on every relay of the fleet (needs a fleet section).")
    static final class Revoke extends SubjectQuestion {

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                String user = ask((tern, subject) -> {
                    await(tern.revoke(subject.userId()));
                    return subject.userId();
                });
                out.println("revoked " + user + ": every relay of the fleet refuses its credentials issued until now");
                out.flush();
                return 0;
            } catch (LauncherException e) {
                Throwable cause = e.getCause() instanceof java.util.concurrent.ExecutionException x && x.getCause() != null
                        ? x.getCause() : e.getCause();
                err.println("Not revoked: " + (cause == null ? e.getMessage() : cause.getMessage()));
                err.flush();
                return 1;
            }
        }
    }
}
