package dev.tern.credentials.rest;

import java.util.Objects;

/**
 * A TURN REST API username taken apart: {@link Timed} (an expiry and a user) or {@link Invalid}.
 *
 * <p>{@link #parse} accepts every form coturn accepts, with the configured separator: {@code ts:user}
 * (what Synapse and Tern issue), {@code user:ts} and a bare {@code ts}. Because Matrix user ids contain
 * {@code :}, {@code ts:user} is recognised by an all-digit part before the first separator and
 * {@code user:ts} by an all-digit part after the last one. Stateless and thread-safe; never throws.
 */
sealed interface RestUsername {

    /** USERNAME is limited to 513 bytes by RFC 8489; longer values are never valid. */
    int MAX_BYTES = 513;

    /** Timestamps beyond this many digits (year 33658) are refused rather than risking overflow. */
    int MAX_TIMESTAMP_DIGITS = 12;

    /**
     * A well-formed username.
     *
     * @param expiry the expiry, unix seconds
     * @param user the user part ({@code @alice:example.org}); for a bare timestamp, the whole username
     */
    record Timed(long expiry, String user) implements RestUsername {
    }

    /**
     * A username this verifier cannot use.
     *
     * @param reason what is wrong with it, safe to log
     */
    record Invalid(String reason) implements RestUsername {
    }

    /** Takes a username apart; any input, including null, gives a result. */
    static RestUsername parse(String username, char separator) {
        if (username == null || username.isEmpty()) {
            return new Invalid("empty username");
        }
        if (username.length() > MAX_BYTES) {
            return new Invalid("username longer than " + MAX_BYTES + " bytes");
        }
        for (int i = 0; i < username.length(); i++) {
            char c = username.charAt(i);
            if (Character.isISOControl(c)) {
                return new Invalid("username contains control characters");
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < username.length()
                        && Character.isLowSurrogate(username.charAt(i + 1))) {
                    i++;
                } else {
                    return new Invalid("username is not valid UTF-8 text");
                }
            }
        }
        if (utf8Length(username) > MAX_BYTES) {
            return new Invalid("username longer than " + MAX_BYTES + " bytes");
        }
        int first = username.indexOf(separator);
        if (first < 0) {
            return isDigits(username) ? timed(username, username) : new Invalid("no '" + separator
                    + "' separator and not a timestamp");
        }
        String before = username.substring(0, first);
        if (isDigits(before)) {
            String user = username.substring(first + 1);
            return user.isEmpty() ? new Invalid("empty user part") : timed(before, user);
        }
        int last = username.lastIndexOf(separator);
        String after = username.substring(last + 1);
        if (isDigits(after)) {
            String user = username.substring(0, last);
            return user.isEmpty() ? new Invalid("empty user part") : timed(after, user);
        }
        return new Invalid("no timestamp before the first '" + separator + "' or after the last");
    }

    private static RestUsername timed(String digits, String user) {
        if (digits.length() > MAX_TIMESTAMP_DIGITS) {
            return new Invalid("timestamp out of range");
        }
        return new Timed(Long.parseLong(digits), Objects.requireNonNull(user));
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
