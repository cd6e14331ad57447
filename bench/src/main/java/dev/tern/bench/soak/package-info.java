/**
 * The soak run: the launcher in its own JVM under churn (TURN allocations, bad packets, HTTP requests, coturn's
 * clients) with steady flows, and the report of what it held at start and end.
 */
package dev.tern.bench.soak;
