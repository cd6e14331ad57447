/** Published STUN test vectors (RFC 5769, RFC 8489), for the codec's and the relay's authentication tests. */
package dev.tern.testing.stun;
