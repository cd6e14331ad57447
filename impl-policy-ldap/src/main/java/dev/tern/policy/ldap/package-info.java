/**
 * The {@code ldap} policy source: looks a Matrix user up in a directory (plain, StartTLS or LDAPS), maps groups and
 * attributes to policy fields by rules, and offers the user's groups as a {@link dev.tern.spi.GroupDirectory} to the
 * other sources.
 */
package dev.tern.policy.ldap;
