package dev.tern.relay.core.request;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The attributes of an Allocate request the core decides on (RFC 8656 section 7.2), decoded by the codec.
 *
 * @param requestedTransport REQUESTED-TRANSPORT's protocol number, if present
 * @param evenPort EVEN-PORT's first byte (its R bit is 0x80), if present
 * @param reservationToken RESERVATION-TOKEN, if present with its 8 bytes
 * @param requestedFamily REQUESTED-ADDRESS-FAMILY's family byte, if present
 * @param additionalFamily ADDITIONAL-ADDRESS-FAMILY's family byte, if present
 * @param dontFragment whether DONT-FRAGMENT is present
 * @param lifetime LIFETIME in seconds, if present
 * @param malformed whether an attribute was present but could not be read (a RESERVATION-TOKEN not 8 bytes long)
 */
public record AllocateRequest(OptionalInt requestedTransport, OptionalInt evenPort, OptionalLong reservationToken,
        OptionalInt requestedFamily, OptionalInt additionalFamily, boolean dontFragment, OptionalLong lifetime,
        boolean malformed) {
}
