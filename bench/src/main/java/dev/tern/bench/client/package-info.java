/**
 * The bench's TURN client over UDP, TCP and TLS (control side only; the load itself goes through sockets
 * directly).
 */
package dev.tern.bench.client;
