/**
 * TURN over TCP and TLS (RFC 8656 section 6.2, RFC 6062 framing): the pipeline of one client connection, framing
 * of the byte stream, TLS sniffing on shared ports and the memory a connection may queue.
 */
package dev.tern.relay.stream;
