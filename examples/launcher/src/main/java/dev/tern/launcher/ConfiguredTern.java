package dev.tern.launcher;

import com.google.inject.Injector;
import dev.tern.api.Tern;
import dev.tern.config.TernConfig;
import dev.tern.guice.TernInjector;
import dev.tern.guice.TernLifecycle;
import java.util.function.Function;

/**
 * Builds Tern from a config for a one-shot question ({@code credentials issue}, {@code policy explain}),
 * asks it, and releases everything; the relay is built but never started. Stateless.
 */
final class ConfiguredTern {

    private ConfiguredTern() {
    }

    /** Runs {@code question} against the facade built from {@code config}. */
    static <T> T ask(TernConfig config, Function<Tern, T> question) {
        Injector injector = TernInjector.create(config);
        TernLifecycle lifecycle = injector.getInstance(TernLifecycle.class);
        try {
            return question.apply(injector.getInstance(Tern.class));
        } finally {
            lifecycle.stop();
        }
    }
}
