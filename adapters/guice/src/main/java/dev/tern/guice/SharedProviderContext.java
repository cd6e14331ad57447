package dev.tern.guice;

import com.google.inject.Inject;
import com.google.inject.Provider;
import dev.tern.config.TernConfig;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.ProviderContext;
import dev.tern.host.SimpleProviderContext;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Makes the {@link ProviderContext} from the config and the shared services bound in the injector,
 * creating the data directory. A {@code data_directory} that cannot be created is a config error.
 */
final class SharedProviderContext implements Provider<ProviderContext> {

    private final TernConfig config;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final HttpClient httpClient;
    private final MetricsRecorder metrics;

    @Inject
    SharedProviderContext(TernConfig config, Clock clock, ScheduledExecutorService scheduler, HttpClient httpClient,
            MetricsRecorder metrics) {
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
        this.httpClient = httpClient;
        this.metrics = metrics;
    }

    @Override
    public ProviderContext get() {
        try {
            Files.createDirectories(config.dataDirectory());
        } catch (IOException e) {
            throw config.problem("data_directory", "cannot create " + config.dataDirectory() + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        return new SimpleProviderContext(config.serverName(), clock, scheduler, httpClient, metrics,
                new SimpleProviderContext.Directories(config.dataDirectory(), config.configDirectory()));
    }
}
