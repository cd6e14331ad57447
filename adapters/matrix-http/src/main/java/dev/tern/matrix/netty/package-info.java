/** The Netty binding of the Matrix endpoints and a small HTTP server for sidecar mode. */
package dev.tern.matrix.netty;
