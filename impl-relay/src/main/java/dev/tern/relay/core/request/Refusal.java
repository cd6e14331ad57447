package dev.tern.relay.core.request;

import java.util.List;

/**
 * An error response to a request (RFC 8656 section 19's codes) and what it reports.
 *
 * @param code the STUN error code (400 to 508)
 * @param reason the reason phrase
 * @param report what listeners are told
 * @param challenge whether the response carries REALM, a fresh NONCE and PASSWORD-ALGORITHMS (401 and 438)
 * @param unknownAttributes the UNKNOWN-ATTRIBUTES of a 420, else empty
 */
public record Refusal(int code, String reason, Report report, boolean challenge, List<Integer> unknownAttributes) {

    public Refusal {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("not an error code: " + code);
        }
        unknownAttributes = List.copyOf(unknownAttributes);
    }

    /** An error with nothing to report. */
    public static Refusal of(int code, String reason) {
        return new Refusal(code, reason, Report.NOTHING, false, List.of());
    }

    /** An error that reports {@code report}. */
    public static Refusal of(int code, String reason, Report report) {
        return new Refusal(code, reason, report, false, List.of());
    }

    static final Refusal BAD_REQUEST = of(400, "Bad Request");
    static final Refusal MISMATCH = of(437, "Allocation Mismatch");
    static final Refusal FAMILY_MISMATCH = of(443, "Peer Address Family Mismatch");
}
