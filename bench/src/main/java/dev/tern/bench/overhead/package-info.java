/**
 * The {@code overhead} measurement: what a relay adds to the whole machine's CPU per relayed packet, with compiled C
 * load and echo programs, for coturn and Tern side by side.
 */
package dev.tern.bench.overhead;
