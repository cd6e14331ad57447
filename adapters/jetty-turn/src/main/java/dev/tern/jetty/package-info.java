/**
 * TURN on a homeserver's Jetty 12 port 443: hands connections whose first bytes are TURN to the relay over loopback,
 * with a PROXY protocol v2 header naming the client.
 */
package dev.tern.jetty;
