/**
 * coturn's real binaries as test fixtures: {@link dev.tern.testing.coturn.Turnserver},
 * {@link dev.tern.testing.coturn.TurnutilsPeer} (a UDP echo peer) and {@link dev.tern.testing.coturn.Uclient}
 * (coturn's TURN client and its summary). Each waits a bounded time for its process, stops it and its children
 * on close, and fails loudly (never skips) when coturn is not installed: {@code apt-get install -y coturn}.
 */
package dev.tern.testing.coturn;
