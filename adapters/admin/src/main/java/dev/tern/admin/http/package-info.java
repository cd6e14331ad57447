/**
 * The admin server's HTTP handlers on the JDK's {@code com.sun.net.httpserver}: metrics, health, the
 * admin page's files and its JSON API, and the bearer-token filter. Assembled by
 * {@link dev.tern.admin.AdminServer}.
 */
package dev.tern.admin.http;
