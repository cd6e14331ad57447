package dev.tern.policy.file;

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
    private final Pattern pattern;

    private NamePattern(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    /** Parses an exact name, a glob, or {@code re:} followed by a regex. */
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
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?') {
                regex.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
                literal.setLength(0);
            } else {
                literal.append(c);
            }
        }
        regex.append(Pattern.quote(literal.toString()));
        return new NamePattern(text, Pattern.compile(regex.toString(), Pattern.DOTALL));
    }

    /** Whether the whole text matches. */
    public boolean matches(String candidate) {
        return pattern.matcher(candidate).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
