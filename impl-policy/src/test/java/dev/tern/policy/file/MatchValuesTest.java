package dev.tern.policy.file;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MatchValuesTest {

    @Test
    void namePatternsMatchExactlyByGlobOrByRegex() {
        assertTrue(NamePattern.parse("@alice:example.org").matches("@alice:example.org"));
        assertFalse(NamePattern.parse("@alice:example.org").matches("@alice:example.org.evil"));
        assertTrue(NamePattern.parse("@*:ministry.example.org").matches("@bob:ministry.example.org"));
        assertFalse(NamePattern.parse("@*:ministry.example.org").matches("@bob:ministryXexample.org"),
                "dots in globs are literal");
        assertTrue(NamePattern.parse("@bot-?:example.org").matches("@bot-7:example.org"));
        assertFalse(NamePattern.parse("@bot-?:example.org").matches("@bot-77:example.org"));
        assertTrue(NamePattern.parse("re:@(ann|bea):example\\.org").matches("@bea:example.org"));
        assertFalse(NamePattern.parse("re:@(ann|bea):example\\.org").matches("@bea:example.org2"),
                "a regex matches the whole id");
        assertThrows(IllegalArgumentException.class, () -> NamePattern.parse("re:(unclosed"));
        assertThrows(IllegalArgumentException.class, () -> NamePattern.parse(" "));
    }

    @Test
    void globsOfManyStarsAnswerAtOnceInsteadOfBacktracking() {
        // Found by PolicyFileFuzzTest: a glob of 120 stars compiled to 120 '.*' and hung the matcher.
        NamePattern stars = NamePattern.parse("*".repeat(60) + "istry.example" + "*".repeat(60) + "x");
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            assertFalse(stars.matches("@" + "a".repeat(200) + ":ministry.example.org"));
            assertTrue(stars.matches("@bob:ministry.example.org.x"));
        }, "a hang, not a slow match: the old matcher needed far longer than the age of the universe");
        assertTrue(NamePattern.parse("*").matches(""));
        assertTrue(NamePattern.parse("a*b*c").matches("aXbYbZc"));
        assertFalse(NamePattern.parse("a*b*c").matches("aXbYbZ"));
        assertTrue(NamePattern.parse("?*?").matches("ab"));
        assertFalse(NamePattern.parse("?*?").matches("a"));
        assertTrue(NamePattern.parse("@*:*.org").matches("@x:\n.org"), "a star matches any character");
    }
}
