/**
 * Test fixtures shared by Tern's modules, JDK only: {@link dev.tern.testing.FreePorts} (loopback ports and
 * relay port ranges, {@link dev.tern.testing.PortRange}), {@link dev.tern.testing.MutableClock} (a clock tests move
 * by hand), {@link dev.tern.testing.Poll} (wait for a condition, bounded), {@link dev.tern.testing.Processes} (start
 * a process with its output in a file, stop it without hanging), {@link dev.tern.testing.SelfSignedCertificate}
 * (a certificate for 127.0.0.1 made with OpenSSL), {@link dev.tern.testing.HeaderTrickle} (a slow HTTP client),
 * {@link dev.tern.testing.StaleClasses} (classes of a fat jar that differ from the class path's),
 * {@link dev.tern.testing.TlsClient} (a TLS client trusting the test's own certificate, with ALPN) and
 * {@link dev.tern.testing.AtOnce} (independent steps run together, the first failure reported).
 * The coturn processes are in {@link dev.tern.testing.coturn}; Node.js scripts driving headless Chromium in
 * {@link dev.tern.testing.browser}; a real OpenLDAP {@code slapd} in {@link dev.tern.testing.ldap}; a real
 * {@code redis-server} in {@link dev.tern.testing.redis}; the RFC STUN test vectors in
 * {@link dev.tern.testing.stun}.
 */
package dev.tern.testing;
