package dev.tern.relay.core.request;

import dev.tern.spi.RelayListener.AuthFailure;

/**
 * What a refused request tells the relay's listeners (metrics, logs), beside its error response.
 *
 * <p>Immutable values.
 */
public sealed interface Report {

    /** Nothing to report (a malformed request). */
    record Nothing() implements Report {
    }

    /** A quota or policy refused it. */
    record Quota(QuotaRefusal reason) implements Report {
    }

    /** Its credentials were refused. */
    record Auth(AuthFailure failure) implements Report {
    }

    /** Its peer address is one the relay never relays to. */
    record PeerRefused() implements Report {
    }

    /** Nothing to report. */
    Report NOTHING = new Nothing();
}
