/**
 * An example homeserver embedding Tern with Guice: {@link dev.tern.examples.homeserver.EmbeddedHomeserver}
 * overrides Tern's wiring with its own access-token check and serves Tern's Matrix endpoints next to its
 * own routes, with the relay in-process.
 */
package dev.tern.examples.homeserver;
