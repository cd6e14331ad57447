/**
 * The TURN load generator: relays under test (coturn, Tern's relay in its own JVM), the echo peer, load runs and
 * what the process and the kernel report about them.
 */
package dev.tern.bench.load;
