/**
 * The {@code tern} command line ({@link dev.tern.launcher.TernCli}): {@code serve} (relay, Matrix endpoints,
 * metrics and admin page from one config, or from the embedded loopback default), {@code check-config},
 * {@code credentials issue}, {@code policy explain}, {@code import synapse} and {@code export coturn}.
 * User mistakes exit with status 1 and a message (never a secret, never a stack trace); bad arguments with 2.
 */
package dev.tern.launcher;
