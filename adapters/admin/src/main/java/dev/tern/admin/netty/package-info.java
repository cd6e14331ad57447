/**
 * The admin server's HTTP on Netty: {@link dev.tern.admin.netty.AdminRoutes} maps paths to the
 * {@code com.sun.net.httpserver} handlers of {@code dev.tern.admin.http} the way the JDK's server would, and
 * {@link dev.tern.admin.netty.AdminHttpHandler} runs them on an executor over a
 * {@link dev.tern.admin.netty.BufferedExchange}, behind the same {@code dev.tern.guard.ListenerGuard} as every
 * other TCP listener of Tern.
 */
package dev.tern.admin.netty;
