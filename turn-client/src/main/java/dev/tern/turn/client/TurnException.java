package dev.tern.turn.client;

import java.io.IOException;

/**
 * A TURN request was refused: {@link StunResponse#orThrow} throws it for an error response, with the response's
 * code and reason phrase. (A {@link TurnClient} that gets no answer in time throws an
 * {@link java.io.UncheckedIOException} wrapping a {@link java.net.SocketTimeoutException}, not this.)
 */
public final class TurnException extends IOException {

    private static final long serialVersionUID = 1L;
    private final int code;

    /**
     * @param code the STUN error code, or 0 when there is none (an error response without ERROR-CODE)
     * @param message what failed
     */
    public TurnException(int code, String message) {
        super(code == 0 ? message : message + " (" + code + ")");
        this.code = code;
    }

    /** The STUN error code, or 0. */
    public int code() {
        return code;
    }
}
