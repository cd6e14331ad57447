/**
 * Test fixtures shared by Tern's modules, JDK only: {@link dev.tern.testing.FreePorts} (loopback ports and
 * relay port ranges), {@link dev.tern.testing.MutableClock} (a clock tests move by hand),
 * {@link dev.tern.testing.Processes} (start a process with its output in a file, stop it without hanging) and
 * {@link dev.tern.testing.TlsClient} (a TLS client trusting the test's own certificate, with ALPN).
 * The coturn processes are in {@link dev.tern.testing.coturn}; Node.js scripts driving headless Chromium in
 * {@link dev.tern.testing.browser}; a real OpenLDAP {@code slapd} in {@link dev.tern.testing.ldap}.
 */
package dev.tern.testing;
