package dev.tern.relay.core.request;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A Refresh request (RFC 8656 section 7.3).
 *
 * @param lifetime LIFETIME in seconds, if present (0 deletes)
 * @param requestedFamily REQUESTED-ADDRESS-FAMILY's family byte, if present
 */
public record RefreshRequest(OptionalLong lifetime, OptionalInt requestedFamily) {
}
