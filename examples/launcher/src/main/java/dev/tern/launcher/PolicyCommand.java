package dev.tern.launcher;

import dev.tern.policy.DecisionExplainer;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tern policy explain @alice:example.org [--guest] [--ip A]}: the decision for a user, each field
 * with its value and the source and rule that set it, then the server-wide decision the well-known
 * publishes.
 */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Policy decisions.",
        subcommands = PolicyCommand.Explain.class)
final class PolicyCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a command: explain");
    }

    /** {@code policy explain USER}. */
    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Explain the policy for a user: each field, its value, the source and rule behind it.")
    static final class Explain extends SubjectQuestion {

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            DecisionExplainer explainer = new DecisionExplainer();
            String text = ask((tern, subject) -> explainer.explain(subject, await(tern.explain(subject))) + "\n"
                    + explainer.explainServerWide(await(tern.policy().decideServerWide())));
            out.print(text);
            out.flush();
            return 0;
        }
    }
}
