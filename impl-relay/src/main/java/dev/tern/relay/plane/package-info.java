/**
 * The data planes and the choice between them: the user-space plane (Netty handlers) and the kernel plane (eBPF
 * on the listening interfaces), with what each carried.
 */
package dev.tern.relay.plane;
