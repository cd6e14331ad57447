/**
 * The relay's sockets on Netty: the event loops (epoll or NIO), the handlers of listening and relay sockets on the
 * forwarding path, batched flushes, receive buffers and relay port binding.
 */
package dev.tern.relay.transport;
