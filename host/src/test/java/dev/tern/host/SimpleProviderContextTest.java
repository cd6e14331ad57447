package dev.tern.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.MetricsRecorder;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SimpleProviderContext#close()} closes the HTTP client {@code of} made and never one the host passed in. */
class SimpleProviderContextTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @TempDir
    Path dir;

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    @Test
    void closeClosesTheHttpClientOfMadeAndLeavesTheScheduler() {
        SimpleProviderContext context = SimpleProviderContext.of("example.org", scheduler, dir);
        assertEquals(HttpClient.Version.HTTP_2, context.httpClient().version(), "the JDK's defaults");
        context.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> context.httpClient().version());
        assertEquals("Tern's HTTP client is closed: Tern was stopped", e.getMessage());
        assertFalse(scheduler.isShutdown(), "the scheduler is the host's");
        context.close(); // idempotent
    }

    @Test
    void closeLeavesAClientTheHostPassedInEvenOneOfTernsType() {
        LazyHttpClient hosts = new LazyHttpClient(executor -> HttpClient.newBuilder().executor(executor).build());
        try {
            SimpleProviderContext context = new SimpleProviderContext("example.org", Clock.systemUTC(), scheduler,
                    hosts, MetricsRecorder.NONE, SimpleProviderContext.Directories.of(dir));
            context.close();
            assertEquals(HttpClient.Version.HTTP_2, context.httpClient().version(), "still open: the host's");
            assertTrue(hosts.built());
        } finally {
            hosts.close();
        }
    }
}
