package dev.tern.spi;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The host's shared services, handed to every provider's {@code create} method.
 *
 * <p>Thread-safe. Providers must not shut down what they get here: the host owns it.
 */
public interface ProviderContext {

    /** The Matrix server name this Tern serves, {@code server_name} in config. */
    String serverName();

    /** The clock to read time from (tests control it). */
    Clock clock();

    /** A scheduler for timers and background refreshes; never block in it for long. */
    ScheduledExecutorService scheduler();

    /** A shared HTTP client for sources that fetch documents. */
    HttpClient httpClient();

    /** Where metrics go. */
    MetricsRecorder metrics();

    /** A directory where providers may keep state (generated keys, caches), created by the host. */
    Path dataDirectory();

    /**
     * The directory relative paths in config are resolved against: the directory of the config file,
     * or the working directory when config was built in code.
     */
    Path configDirectory();
}
