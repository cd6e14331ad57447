/** {@code tern probe}: checking a TURN server end to end over UDP, step by step, with the failure explained. */
package dev.tern.launcher.probe;
