package dev.tern.relay.core.request;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The attributes of an Allocate request the core decides on (RFC 8656 section 7.2), decoded by the codec.
 *
 * @param requestedTransport REQUESTED-TRANSPORT's protocol number, if present
 * @param port what the request asks of the relay port
 * @param families the address families it asks for
 * @param lifetime LIFETIME in seconds, if present
 * @param malformed whether an attribute was present but could not be read (a RESERVATION-TOKEN not 8 bytes long)
 */
public record AllocateRequest(OptionalInt requestedTransport, RelayPort port, Families families, OptionalLong lifetime,
        boolean malformed) {

    /**
     * What an Allocate asks of its relay port.
     *
     * @param evenPort EVEN-PORT's first byte (its R bit is 0x80), if present
     * @param reservationToken RESERVATION-TOKEN, if present with its 8 bytes
     * @param dontFragment whether DONT-FRAGMENT is present
     */
    public record RelayPort(OptionalInt evenPort, OptionalLong reservationToken, boolean dontFragment) {
    }

    /**
     * The address families an Allocate asks for (RFC 8656 section 7.2).
     *
     * @param requested REQUESTED-ADDRESS-FAMILY's family byte, if present
     * @param additional ADDITIONAL-ADDRESS-FAMILY's family byte, if present
     */
    public record Families(OptionalInt requested, OptionalInt additional) {
    }
}
