/**
 * A small blocking TURN client over UDP on the relay's codec, for the launcher's {@code probe} and tests.
 */
package dev.tern.relay.client;
