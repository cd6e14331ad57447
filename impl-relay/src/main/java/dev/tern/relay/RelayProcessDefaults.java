package dev.tern.relay;

import io.netty.util.ResourceLeakDetector;

/**
 * Process-wide Netty settings for an application whose main work is relaying media, such as Tern's
 * launcher. The library never applies them itself: they are global to the JVM, so only the
 * application that owns the process may choose them (an embedding homeserver keeps its own).
 */
public final class RelayProcessDefaults {

    /** The system property that sets Netty's buffer leak detection level. */
    public static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";

    /** It and the older names Netty still reads. */
    private static final java.util.List<String> LEAK_DETECTION_PROPERTIES = java.util.List.of(LEAK_DETECTION_PROPERTY,
            "io.netty.leakDetectionLevel", "io.netty.noResourceLeakDetection");

    private RelayProcessDefaults() {
    }

    /**
     * Turns Netty's buffer leak detection off, unless {@value #LEAK_DETECTION_PROPERTY} (or one of its
     * older names) was set: then that level stays. Netty's default level samples one buffer in 128 and records the stack of
     * where it was allocated: for a relay, which allocates a buffer per packet, that was 15 to 20 % of
     * the forwarding thread's user-space CPU (async-profiler, {@code tern-bench compare}). The test
     * suites run with the {@code paranoid} level instead. Call before the relay starts.
     *
     * @return whether leak detection was turned off by this call
     */
    public static boolean disableLeakDetectionUnlessConfigured() {
        for (String property : LEAK_DETECTION_PROPERTIES) {
            if (System.getProperty(property) != null) {
                return false;
            }
        }
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        return true;
    }
}
