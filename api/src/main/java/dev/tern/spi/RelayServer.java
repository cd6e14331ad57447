package dev.tern.spi;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A TURN relay running in this JVM.
 *
 * <p>Thread-safe. The stage {@link #start()} returns completes once every listener is bound, or fails with an
 * exception naming the address that could not be bound; {@link #stop()} closes everything and is idempotent.
 */
public interface RelayServer extends AutoCloseable {

    /** Binds the listeners and starts relaying. Completes when every listener is bound. */
    CompletionStage<Void> start();

    /**
     * Refuses new allocations and completes when every existing one has ended, or when the grace
     * period has passed (then remaining allocations are closed): for rolling restarts.
     */
    CompletionStage<Void> drain(Duration grace);

    /**
     * Whether {@link #drain} was called: the relay refuses new allocations (with 300 Try Alternate naming a live
     * relay of its fleet when there is one) and health reports it not ready.
     */
    default boolean draining() {
        return false;
    }

    /** Closes listeners and allocations at once. Idempotent. */
    CompletionStage<Void> stop();

    /** The addresses the relay listens on, once started (with the real ports when 0 was asked). */
    List<InetSocketAddress> listenAddresses();

    /**
     * The listeners as URIs, once started, with the ports actually bound, in the order of
     * {@link #listenAddresses()}: {@code udp://127.0.0.1:3478}, {@code tcp://[::1]:3478}, {@code tls://0.0.0.0:5349}.
     * For status pages and logs, where an address alone does not say how clients reach it (a relay often listens
     * on one port over UDP and TCP).
     */
    List<URI> listenUris();

    /** A snapshot of the live allocations. */
    List<AllocationView> allocations();

    /** Which data plane forwards relayed data, why, and what each plane carried since start. */
    default DataPlaneStatus dataPlane() {
        return new DataPlaneStatus(RelayListener.Plane.USER, "no kernel plane in this relay",
                DataPlaneStatus.Carried.NONE, DataPlaneStatus.Carried.NONE);
    }

    /**
     * Every reason this relay can refuse an allocation or a permission with (what
     * {@link RelayListener#quotaRefused} reports), so metrics can start each at zero. Default: none known.
     */
    default List<RelayListener.Refusal> refusalReasons() {
        return List.of();
    }

    /** Adds a listener for relay events; listeners are called in the order they were added. */
    void addListener(RelayListener listener);

    @Override
    default void close() {
        stop().toCompletableFuture().join();
    }
}
