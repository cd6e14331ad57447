package dev.tern.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM as a request to drain: the JVM's own handling runs the shutdown hooks and exits 143, which systemd and
 * scripts read as a failure; {@code tern serve} instead starts its drain and exits 0 once it is done.
 *
 * <p>Uses {@code sun.misc.Signal} (module {@code jdk.unsupported}, present in every JDK 17+ build; no public API
 * handles signals). Where it cannot be installed (a JVM started with {@code -Xrs}), SIGTERM falls back to the
 * shutdown hook, which drains the same way and exits 143. Stateless.
 */
final class TermSignal {

    private static final Logger LOG = LoggerFactory.getLogger(TermSignal.class);

    private TermSignal() {
    }

    /** Runs {@code drain} (which must not block) on each SIGTERM. */
    static void onTerm(Runnable drain) {
        try {
            Signal.handle(new Signal("TERM"), signal -> drain.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warn("Cannot handle SIGTERM ({}); it stops through the shutdown hook and exits 143", e.getMessage());
        }
    }
}
