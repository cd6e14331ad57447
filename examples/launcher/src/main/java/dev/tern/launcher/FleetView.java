package dev.tern.launcher;

import dev.tern.config.BoundProvider;
import dev.tern.config.TernConfig;
import dev.tern.host.SimpleProviderContext;
import dev.tern.spi.Fleet;
import dev.tern.spi.FleetProvider;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.RelayStatus;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The fleet of a config's {@code fleet} section seen from outside (#18 point 4): made from the section but never
 * joined, so reading it registers nothing, and closing it deregisters nothing even when the config names a
 * {@code relay_id}. For {@code tern probe --fleet}. Not thread-safe; close it once done.
 */
final class FleetView implements AutoCloseable {

    private final ScheduledExecutorService scheduler;
    private final Fleet fleet;

    private FleetView(ScheduledExecutorService scheduler, Fleet fleet) {
        this.scheduler = scheduler;
        this.fleet = fleet;
    }

    /**
     * Makes the fleet of {@code config}'s {@code fleet} section, connecting in the background.
     *
     * @throws LauncherException when the config has no fleet section or one without a store ({@code type: none})
     * @throws dev.tern.config.ConfigException when the section's provider refuses its settings
     */
    static FleetView open(TernConfig config) {
        BoundProvider<FleetProvider<?>> bound = config.fleet().orElseThrow(() -> new LauncherException(
                config.origin() + " has no fleet section, so there are no registered relays to list (probe one "
                        + "relay with tern probe URI)"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tern-fleet-view");
            t.setDaemon(true);
            return t;
        });
        try {
            Fleet fleet = create(bound.provider(), bound.config(), new SimpleProviderContext(config.serverName(),
                    Clock.systemUTC(), scheduler, HttpClient.newHttpClient(), MetricsRecorder.NONE,
                    new SimpleProviderContext.Directories(config.dataDirectory(), config.configDirectory())));
            if (fleet == Fleet.NONE) {
                throw new LauncherException(config.origin() + " has fleet type none (one relay alone): there is no "
                        + "store of registered relays to list");
            }
            return new FleetView(scheduler, fleet);
        } catch (InvalidSettingException e) {
            scheduler.shutdownNow();
            throw bound.invalidSetting(e);
        } catch (RuntimeException e) {
            scheduler.shutdownNow();
            throw e;
        }
    }

    // The config was bound to provider.configType(), so the cast holds.
    private static <C> Fleet create(FleetProvider<C> provider, Object config, SimpleProviderContext context) {
        return provider.create(provider.configType().cast(config), context);
    }

    /**
     * The live relays read once from the store, ordered by relay id.
     *
     * @throws LauncherException when the store does not answer within {@code wait}, with its secret-free reason
     */
    List<RelayStatus> liveRelays(Duration wait) {
        try {
            return fleet.readLiveRelays().toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new LauncherException("Cannot list the fleet's relays: " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new LauncherException("Cannot list the fleet's relays: the fleet's store did not answer within "
                    + wait.toMillis() + " ms (" + fleet.health().detail() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("Interrupted while listing the fleet's relays", e);
        }
    }

    @Override
    public void close() {
        fleet.close();
        scheduler.shutdownNow();
    }
}
