/**
 * Guice wiring for Tern: {@link dev.tern.guice.TernModule} builds the issuer, policy sources, policy
 * engine, relay and {@link dev.tern.api.Tern} facade from a loaded {@link dev.tern.config.TernConfig};
 * {@link dev.tern.guice.TernLifecycle} starts and stops them; {@link dev.tern.guice.TernInjector} makes
 * an injector in one call and reports config mistakes as {@link dev.tern.config.ConfigException}.
 */
package dev.tern.guice;
