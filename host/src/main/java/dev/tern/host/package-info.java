/**
 * What a host needs to run plugins and no plugin sees: a {@link dev.tern.spi.ProviderContext} made of given parts
 * ({@link dev.tern.host.SimpleProviderContext}), the HTTP client it hands out, built on first use and closed with it
 * ({@link dev.tern.host.LazyHttpClient}), a policy source together with its generic settings
 * ({@link dev.tern.host.ConfiguredPolicySource}), the duration text config writes
 * ({@link dev.tern.host.DurationText}) and a running relay's sampled status
 * ({@link dev.tern.host.RelayStatusSampler}). Used by the config binder, the policy engine, the Guice wiring, the
 * admin page, the launcher and tests; depends on {@code dev.tern.spi} and the JDK alone.
 */
package dev.tern.host;
