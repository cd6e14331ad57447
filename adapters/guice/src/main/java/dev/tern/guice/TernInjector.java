package dev.tern.guice;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.spi.Message;
import com.google.inject.util.Modules;
import dev.tern.config.ConfigException;
import dev.tern.config.ConfigProblem;
import dev.tern.config.TernConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Makes an injector from a config in one call, creating every singleton at once (Guice's production
 * stage) so a bad setting fails here rather than on first use, and rethrows config mistakes as the
 * {@link ConfigException} they are, not wrapped in Guice's exceptions. Stateless.
 */
public final class TernInjector {

    private TernInjector() {
    }

    /**
     * Builds the injector.
     *
     * @param overrides modules whose bindings replace {@link TernModule}'s ({@code Modules.override})
     * @throws ConfigException when a provider refuses its settings or the wiring is inconsistent with
     *     the config (a relay without a verifying issuer)
     */
    public static Injector create(TernConfig config, Module... overrides) {
        Module module = overrides.length == 0 ? new TernModule(config)
                : Modules.override(new TernModule(config)).with(overrides);
        try {
            return Guice.createInjector(Stage.PRODUCTION, module);
        } catch (CreationException e) {
            throw unwrap(e.getErrorMessages(), e);
        } catch (ProvisionException e) {
            throw unwrap(e.getErrorMessages(), e);
        }
    }

    private static RuntimeException unwrap(Collection<Message> messages, RuntimeException original) {
        // Guice reports one failure once per binding that needed it; each problem is told once.
        Set<ConfigProblem> problems = new LinkedHashSet<>();
        for (Message message : messages) {
            for (Throwable cause = message.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof ConfigException config) {
                    problems.addAll(config.problems());
                    break;
                }
            }
        }
        return problems.isEmpty() ? original : new ConfigException(new ArrayList<>(problems));
    }
}
