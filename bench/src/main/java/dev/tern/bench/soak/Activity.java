package dev.tern.bench.soak;

/**
 * One kind of churn the soak repeats (a TURN allocation's life, a burst of bad packets, a round of HTTP
 * requests, a coturn client run). A cycle either completes or throws; the soak counts both and carries on.
 * Implementations are used by one thread each at a time.
 */
interface Activity {

    /** A short fixed name for the report ({@code turn-udp}, {@code http}, ...). */
    String name();

    /** Runs one cycle; a failure is counted, not fatal. */
    void cycle() throws Exception;
}
