package dev.tern.relay.server;

import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunMessage;
import dev.tern.stun.XorAddress;
import dev.tern.relay.core.request.AllocateRequest;
import dev.tern.relay.core.request.ChannelBindRequest;
import dev.tern.relay.core.request.PermissionRequest;
import dev.tern.relay.core.request.RefreshRequest;
import dev.tern.relay.core.request.SendIndication;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Fills the TURN core's request records from a parsed {@link StunMessage} (a view over the datagram's buffer): the
 * core never sees a buffer, and what it keeps outlives the datagram. Only requests and Send indications go through
 * here; ChannelData never does.
 *
 * <p>Stateless. Never throws for bad input: what cannot be read is absent or marked malformed.
 */
final class CoreRequests {

    private CoreRequests() {
    }

    static AllocateRequest allocate(StunMessage m) {
        int tokenLength = m.valueLength(StunAttribute.RESERVATION_TOKEN);
        OptionalLong token = tokenLength == 8
                ? OptionalLong.of(m.buffer().getLong(m.valueIndex(StunAttribute.RESERVATION_TOKEN)))
                : OptionalLong.empty();
        return new AllocateRequest(firstByte(m, StunAttribute.REQUESTED_TRANSPORT),
                new AllocateRequest.RelayPort(firstByte(m, StunAttribute.EVEN_PORT), token,
                        m.valueIndex(StunAttribute.DONT_FRAGMENT) >= 0),
                new AllocateRequest.Families(firstByte(m, StunAttribute.REQUESTED_ADDRESS_FAMILY),
                        firstByte(m, StunAttribute.ADDITIONAL_ADDRESS_FAMILY)),
                lifetime(m), tokenLength >= 0 && tokenLength != 8);
    }

    static RefreshRequest refresh(StunMessage m) {
        return new RefreshRequest(lifetime(m), firstByte(m, StunAttribute.REQUESTED_ADDRESS_FAMILY));
    }

    static PermissionRequest permission(StunMessage m) {
        List<InetSocketAddress> peers = new ArrayList<>();
        for (ByteBuf v : m.attributes(StunAttribute.XOR_PEER_ADDRESS)) {
            Optional<InetSocketAddress> peer = XorAddress.decode(v, m.transactionId());
            if (peer.isEmpty()) {
                return new PermissionRequest(List.of(), true);
            }
            peers.add(peer.get());
        }
        return new PermissionRequest(peers, false);
    }

    static ChannelBindRequest channelBind(StunMessage m) {
        long value = m.u32(StunAttribute.CHANNEL_NUMBER);
        List<ByteBuf> values = m.attributes(StunAttribute.XOR_PEER_ADDRESS);
        Optional<InetSocketAddress> peer = values.size() == 1 ? XorAddress.decode(values.get(0), m.transactionId())
                : Optional.empty();
        return new ChannelBindRequest(value < 0 ? OptionalInt.empty() : OptionalInt.of((int) (value >>> 16)), peer);
    }

    static SendIndication send(StunMessage m) {
        return new SendIndication(m.attribute(StunAttribute.XOR_PEER_ADDRESS)
                .flatMap(v -> XorAddress.decode(v, m.transactionId())), m.valueIndex(StunAttribute.DATA) >= 0);
    }

    private static OptionalLong lifetime(StunMessage m) {
        long lifetime = m.u32(StunAttribute.LIFETIME);
        return lifetime < 0 ? OptionalLong.empty() : OptionalLong.of(lifetime);
    }

    private static OptionalInt firstByte(StunMessage m, int type) {
        int index = m.valueIndex(type);
        return index < 0 || m.valueLength(type) < 1 ? OptionalInt.empty()
                : OptionalInt.of(m.buffer().getUnsignedByte(index));
    }
}
