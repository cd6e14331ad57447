/**
 * Loading a Tern config file: YAML or JSON with snake_case keys, {@code ${ENV}} and {@code *_file}
 * secrets, providers chosen by {@code type:} through {@link java.util.ServiceLoader}
 * ({@link dev.tern.config.ProviderCatalog}) and each section bound to its provider's config record.
 * Entry points: {@link dev.tern.config.ConfigLoader} (load) and {@link dev.tern.config.ConfigCheck}
 * (validate without starting anything). Every mistake is a {@link dev.tern.config.ConfigException}
 * naming the file, key path and line, and never a secret.
 */
package dev.tern.config;
