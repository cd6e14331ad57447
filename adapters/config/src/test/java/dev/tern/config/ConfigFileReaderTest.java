package dev.tern.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.Bitrate;
import dev.tern.spi.InvalidSettingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigFileReaderTest {

    /** A shape like a policy rules file: a list of entries, each with a nested record. */
    record Limits(Bitrate maxBitrate, Integer maxAllocations) {
        Limits {
            if (maxAllocations != null && maxAllocations < 0) {
                throw new InvalidSettingException("max_allocations", "must not be negative");
            }
        }
    }

    record Entry(String name, Limits set) {
    }

    record Book(List<Entry> entries, String owner) {
    }

    private static final ConfigFileReader<Book> YAML = new ConfigFileReader<>(Path.of("book.yaml"), Book.class);

    private static Book read(ConfigFileReader<Book> reader, String text) {
        return reader.read(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bindsAFileLikeTheMainConfig() {
        Book book = read(YAML, "owner: ops\nentries:\n  - { name: a, set: { max_bitrate: 2M } }\n");
        assertEquals("ops", book.owner());
        assertEquals(Bitrate.parse("2M"), book.entries().get(0).set().maxBitrate());
    }

    @Test
    void reportsEveryMistakeOfEveryEntryAtItsOwnLineWithTheNearestKey() {
        var e = assertThrows(ConfigException.class, () -> read(YAML, """
                ownr: ops
                entries:
                  - name: a
                    sett: { max_bitrate: 2M }
                  - name: b
                    set: { max_bitrate: fast }
                  - name: c
                    set: { max_allocations: -1 }
                """));
        List<String> problems = e.problems().stream().map(ConfigProblem::toString).toList();
        assertEquals(List.of(
                "book.yaml, line 1: ownr: unknown key (did you mean 'owner'?); known keys here: entries, owner",
                "book.yaml, line 4: entries[0].sett: unknown key (did you mean 'set'?); known keys here: name, set",
                "book.yaml, line 6: entries[1].set.max_bitrate: found 'fast', expected a bitrate like 512k, 2M or 1G "
                        + "(bits per second)",
                "book.yaml, line 8: entries[2].set.max_allocations: must not be negative"), problems);
    }

    @Test
    void anEmptyDocumentIsAnEmptyMappingAndEnvIsNotExpanded() {
        assertEquals(new Book(null, null), read(YAML, "# nothing\n"));
        assertEquals("${HOME}", read(YAML, "owner: ${HOME}\n").owner());
    }

    @Test
    void refusesSomethingOtherThanAMappingAtTheTopAndBadSyntaxWithTheirLines() {
        var list = assertThrows(ConfigException.class, () -> read(YAML, "- a\n- b\n"));
        assertTrue(list.getMessage().contains("found a list at the top, expected a mapping with the keys entries, owner"),
                list.getMessage());
        var json = new ConfigFileReader<>(Path.of("book.json"), Book.class);
        var syntax = assertThrows(ConfigException.class, () -> read(json, "{\n\"owner\": \"x\",\n}"));
        assertEquals(3, syntax.problems().get(0).line(), syntax.getMessage());
        assertTrue(syntax.getMessage().contains("not valid JSON"), syntax.getMessage());
    }
}
