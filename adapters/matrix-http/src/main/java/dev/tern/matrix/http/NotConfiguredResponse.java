package dev.tern.matrix.http;

/** What {@code /voip/turnServer} answers when this server has no TURN configured. */
public enum NotConfiguredResponse {
    /** {@code 200 {}}, as Synapse answers (the default). */
    EMPTY,
    /** {@code 404 M_NOT_FOUND}, as conduwuit answers and MSC4166 proposes. */
    NOT_FOUND
}
