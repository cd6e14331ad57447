/**
 * JMH benchmarks of the hot paths: forwarding, the STUN codec, nonces, the peer address filter, REST key
 * derivation and the policy merge.
 */
package dev.tern.bench.jmh;
