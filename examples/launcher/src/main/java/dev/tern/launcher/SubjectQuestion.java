package dev.tern.launcher;

import com.google.inject.Injector;
import dev.tern.spi.Subject;
import dev.tern.api.Tern;
import dev.tern.guice.TernInjector;
import dev.tern.guice.TernLifecycle;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A one-shot question about one user ({@code credentials issue}, {@code policy explain}): builds Tern from
 * the config ({@code --config} or the embedded default), asks it, and releases everything; the relay is
 * built but never started.
 */
abstract class SubjectQuestion implements Callable<Integer> {

    private static final long ANSWER_SECONDS = 60;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Mixin
    SubjectOptions user;

    /** What a subcommand asks Tern about the subject. */
    @FunctionalInterface
    interface Question<T> {
        T ask(Tern tern, Subject subject) throws Exception;
    }

    /** Runs {@code question} against the facade built from the config, for the user on the command line. */
    final <T> T ask(Question<T> question) {
        Subject subject = user.subject();
        Injector injector = TernInjector.create(options.load(options.configLoader(), spec.commandLine().getErr()));
        TernLifecycle lifecycle = injector.getInstance(TernLifecycle.class);
        try {
            return question.ask(injector.getInstance(Tern.class), subject);
        } catch (LauncherException e) {
            throw e;
        } catch (Exception e) {
            throw new LauncherException("Policy did not answer: " + e, e);
        } finally {
            lifecycle.stop();
        }
    }

    /** Waits, bounded, for an answer. */
    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(ANSWER_SECONDS, TimeUnit.SECONDS);
    }
}
