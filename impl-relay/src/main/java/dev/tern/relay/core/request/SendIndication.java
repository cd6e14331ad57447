package dev.tern.relay.core.request;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A Send indication (RFC 8656 section 10): where its DATA goes. The data itself stays in the transport's buffer.
 *
 * @param peer its XOR-PEER-ADDRESS, if it decodes
 * @param hasData whether it carries DATA
 */
public record SendIndication(Optional<InetSocketAddress> peer, boolean hasData) {
}
