/**
 * The policy engine: composes the configured {@link dev.tern.spi.PolicySource}s into one
 * {@link dev.tern.spi.PolicyEvaluator}, bounding each by its timeout, applying its {@code on_error}, merging the
 * answers most restrictively and explaining where each field came from. The source types are in {@code .file} and
 * {@code .wellknown} (and {@code tern-policy-ldap}).
 */
package dev.tern.policy;
