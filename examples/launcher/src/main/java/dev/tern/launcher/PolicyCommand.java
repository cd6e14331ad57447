package dev.tern.launcher;

import dev.tern.api.PolicyDecision;
import dev.tern.api.Subject;
import dev.tern.config.ConfigLoader;
import dev.tern.config.TernConfig;
import dev.tern.policy.DecisionExplainer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
    static final class Explain implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOptions options;

        @Mixin
        SubjectOptions user;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Subject subject = user.subject();
            TernConfig config = options.load(ConfigLoader.standard(), spec.commandLine().getErr());
            DecisionExplainer explainer = new DecisionExplainer();
            String text = ConfiguredTern.ask(config, tern -> {
                try {
                    PolicyDecision decision = tern.explain(subject).toCompletableFuture().get(60, TimeUnit.SECONDS);
                    PolicyDecision serverWide = tern.policy().decideServerWide().toCompletableFuture()
                            .get(60, TimeUnit.SECONDS);
                    return explainer.explain(subject, decision) + "\n" + explainer.explainServerWide(serverWide);
                } catch (Exception e) {
                    throw new LauncherException("Policy did not answer: " + e, e);
                }
            });
            out.print(text);
            out.flush();
            return 0;
        }
    }
}
