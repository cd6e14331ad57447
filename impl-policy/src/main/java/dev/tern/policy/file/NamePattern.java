package dev.tern.policy.file;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Matches a user id or a server name: exactly ({@code @alice:example.org}), as a glob where
 * {@code *} is any run of characters and {@code ?} one character ({@code @*:example.org}), or as a
 * Java regular expression after a {@code re:} prefix ({@code re:@[a-z]+-admin:example\.org}), which
 * must match the whole text. Exact and glob matching are case-sensitive, like Matrix ids.
 *
 * <p>Immutable and thread-safe. {@link #parse} refuses an empty pattern or a broken regex with
 * {@link IllegalArgumentException}.
 */
public final class NamePattern {

    private final String text;
    /** The compiled {@code re:} regex, or null for an exact name or a glob. */
    private final Pattern pattern;

    private NamePattern(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    /** Parses an exact name, a glob, or {@code re:} followed by a regex. */
    @JsonCreator
    public static NamePattern parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an empty pattern matches nothing (expected a user id, a glob like "
                    + "@*:example.org, or re:<regex>)");
        }
        if (text.startsWith("re:")) {
            try {
                return new NamePattern(text, Pattern.compile(text.substring(3)));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("'" + text + "' is not a valid regular expression: "
                        + e.getDescription());
            }
        }
        return new NamePattern(text, null);
    }

    /** Whether the whole text matches. */
    public boolean matches(String candidate) {
        return pattern != null ? pattern.matcher(candidate).matches() : globMatches(text, candidate);
    }

    /**
     * Glob matching in at most length(glob) x length(name) steps. A glob used to become a regex of
     * {@code .*} per {@code *}, which backtracks exponentially: the policy fuzz test hung on a glob of
     * a hundred stars (PolicyFileFuzzTest's input {@code fuzzed-glob-of-many-stars}).
     */
    private static boolean globMatches(String glob, String name) {
        int g = 0;
        int n = 0;
        int star = -1;
        int resume = 0;
        while (n < name.length()) {
            if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                resume = n;
            } else if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == name.charAt(n))) {
                g++;
                n++;
            } else if (star >= 0) {
                // The last star takes one more character; everything after it is matched again from there.
                g = star + 1;
                n = ++resume;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    @Override
    public String toString() {
        return text;
    }
}
