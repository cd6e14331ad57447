/**
 * The benchmark tool's entry point and subcommands: the load generator ({@code relay}), the side-by-side comparison
 * with coturn ({@code compare}, {@code capacity}), {@code overhead}, {@code soak} and JMH.
 */
package dev.tern.bench;
