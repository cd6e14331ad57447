package dev.tern.policy;

import dev.tern.spi.Subject;
import dev.tern.spi.PolicyAnswer;
import dev.tern.spi.PolicySource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/** A policy source whose answers a test decides, per subject and server-wide. */
class ScriptedSource implements PolicySource {

    private volatile Function<Subject, CompletionStage<PolicyAnswer>> perUser;
    private volatile Supplier<CompletionStage<PolicyAnswer>> serverWide;
    final AtomicBoolean closed = new AtomicBoolean();

    ScriptedSource(PolicyAnswer answer) {
        answer(answer);
    }

    void answer(PolicyAnswer answer) {
        perUser = subject -> CompletableFuture.completedFuture(answer);
        serverWide = () -> CompletableFuture.completedFuture(answer);
    }

    void answerWith(CompletionStage<PolicyAnswer> stage) {
        perUser = subject -> stage;
    }

    /** Runs the action whenever the source is asked about a subject, before answering. */
    void onAsk(Runnable action) {
        Function<Subject, CompletionStage<PolicyAnswer>> answer = perUser;
        perUser = subject -> {
            action.run();
            return answer.apply(subject);
        };
    }

    void fail() {
        perUser = subject -> CompletableFuture.failedFuture(new IllegalStateException("directory down"));
        serverWide = () -> CompletableFuture.failedFuture(new IllegalStateException("directory down"));
    }

    void hang() {
        perUser = subject -> new CompletableFuture<>();
        serverWide = CompletableFuture::new;
    }

    void throwSynchronously() {
        perUser = subject -> {
            throw new IllegalStateException("bug in source");
        };
    }

    void serverWide(PolicyAnswer answer) {
        serverWide = () -> CompletableFuture.completedFuture(answer);
    }

    @Override
    public CompletionStage<PolicyAnswer> evaluate(Subject subject) {
        return perUser.apply(subject);
    }

    @Override
    public CompletionStage<PolicyAnswer> evaluateServerWide() {
        return serverWide.get();
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
