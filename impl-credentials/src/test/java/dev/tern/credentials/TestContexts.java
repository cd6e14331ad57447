package dev.tern.credentials;

import dev.tern.spi.MetricsRecorder;
import dev.tern.host.SimpleProviderContext;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/** Provider contexts for tests; the caller owns and shuts down the scheduler. */
public final class TestContexts {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestContexts() {
    }

    public static SimpleProviderContext with(Clock clock, ScheduledExecutorService scheduler, Path directory) {
        return new SimpleProviderContext("example.org", clock, scheduler, HTTP,
                MetricsRecorder.NONE, SimpleProviderContext.Directories.of(directory));
    }
}
