/**
 * A real OpenLDAP directory for tests: {@link dev.tern.testing.ldap.Slapd} starts Debian's {@code slapd} with its
 * own config on a loopback port (memberOf overlay, posixGroup schema), loads entries with {@code ldapadd}, and
 * stops and restarts it to make outages.
 */
package dev.tern.testing.ldap;
