package dev.tern.turn.client;

import dev.tern.stun.PasswordAlgorithm;
import java.util.Objects;

/**
 * How a {@link TurnClient} signs its authenticated requests (RFC 8489 section 9.2): which password algorithm
 * it names, whether it echoes the server's PASSWORD-ALGORITHMS, and which integrity attributes it adds. The
 * factories are the clients met in practice; the constructor makes any combination, for negative tests.
 *
 * <p>Immutable.
 *
 * @param algorithm which PASSWORD-ALGORITHM to send, if any
 * @param echoAlgorithms whether to send back the PASSWORD-ALGORITHMS of the server's challenge
 * @param messageIntegrity whether to add MESSAGE-INTEGRITY (HMAC-SHA1)
 * @param messageIntegritySha256 whether to add MESSAGE-INTEGRITY-SHA256 (after MESSAGE-INTEGRITY, if both)
 */
public record RequestIntegrity(AlgorithmChoice algorithm, boolean echoAlgorithms, boolean messageIntegrity,
        boolean messageIntegritySha256) {

    /** Which PASSWORD-ALGORITHM a client sends. */
    public enum AlgorithmChoice {
        /** None: the request is processed as MD5. */
        NONE,
        /** The first algorithm of the server's PASSWORD-ALGORITHMS this client knows, as RFC 8489 9.2.5 says. */
        FIRST_OFFERED,
        /** MD5, whatever was offered. */
        MD5,
        /** SHA-256, whatever was offered. */
        SHA256
    }

    public RequestIntegrity {
        Objects.requireNonNull(algorithm, "algorithm");
    }

    /** An RFC 5389 client (coturn's, browsers'): MESSAGE-INTEGRITY with the MD5 key, no algorithms. */
    public static RequestIntegrity classic() {
        return new RequestIntegrity(AlgorithmChoice.NONE, false, true, false);
    }

    /** MESSAGE-INTEGRITY-SHA256 only, without naming an algorithm (so with the MD5 key). */
    public static RequestIntegrity sha256AttributeOnly() {
        return new RequestIntegrity(AlgorithmChoice.NONE, false, false, true);
    }

    /** This algorithm with the offered list echoed, and MESSAGE-INTEGRITY-SHA256 only. */
    public static RequestIntegrity negotiated(PasswordAlgorithm algorithm) {
        return new RequestIntegrity(algorithm == PasswordAlgorithm.SHA256 ? AlgorithmChoice.SHA256
                : AlgorithmChoice.MD5, true, false, true);
    }

    /**
     * A strictly conforming RFC 8489 client: the first offered algorithm it knows, the list echoed, and
     * MESSAGE-INTEGRITY-SHA256 only (section 9.2.5: after PASSWORD-ALGORITHMS, "MESSAGE-INTEGRITY-SHA256 only").
     */
    public static RequestIntegrity strictRfc8489() {
        return new RequestIntegrity(AlgorithmChoice.FIRST_OFFERED, true, false, true);
    }

    /** This with the PASSWORD-ALGORITHMS echo switched on or off. */
    public RequestIntegrity echoingAlgorithms(boolean echo) {
        return new RequestIntegrity(algorithm, echo, messageIntegrity, messageIntegritySha256);
    }
}
