/** The binding of the Matrix endpoints for the JDK's {@code com.sun.net.httpserver}. */
package dev.tern.matrix.jdk;
