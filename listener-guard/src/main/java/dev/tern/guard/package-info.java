/**
 * What Tern's TCP listeners (TURN over TCP and TLS, the Matrix endpoints' HTTP, the admin server) share to
 * stay up under a flood: {@link dev.tern.guard.ListenerGuard} (caps, descriptor reserve, deadlines),
 * {@link dev.tern.guard.BindFailure} for the one-line bind error, and {@link dev.tern.guard.ClientLogThrottle}
 * for every log line a client can cause.
 */
package dev.tern.guard;
