package dev.tern.relay.core.request;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A ChannelBind request (RFC 8656 section 11).
 *
 * @param number CHANNEL-NUMBER's channel number, if present
 * @param peer its XOR-PEER-ADDRESS, when it has exactly one and it decodes
 */
public record ChannelBindRequest(OptionalInt number, Optional<InetSocketAddress> peer) {
}
