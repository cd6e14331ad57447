/**
 * The kernel data plane's native side: the eBPF program's route layout and counters, loaded and updated through
 * libbpf and libc with JNA, forwarding the ChannelData of bound UDP channels in the kernel.
 */
package dev.tern.relay.kernel;
