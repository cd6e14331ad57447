package dev.tern.turn.client;

import java.io.IOException;

/** A TURN request failed: an error response (with its code), a timeout or a malformed answer. */
public final class TurnException extends IOException {

    private static final long serialVersionUID = 1L;
    private final int code;

    /**
     * @param code the STUN error code, or 0 when there was no error response (timeout, bad answer)
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
