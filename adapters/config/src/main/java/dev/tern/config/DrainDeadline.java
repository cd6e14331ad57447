package dev.tern.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.host.DurationText;
import java.time.Duration;

/**
 * {@code relay.drain_deadline}: how long a draining relay (SIGTERM, {@code tern drain}, the admin API) lets its
 * live allocations go on before it closes them, deregisters from its fleet and exits. A host setting, read beside
 * whichever relay {@code type} the section names: default {@value #DEFAULT_TEXT}, at least 1s, at most 1d.
 *
 * <p>Stateless and thread-safe; a bad value is a problem at {@code relay.drain_deadline} naming what was expected.
 */
final class DrainDeadline {

    /** The key under {@code relay}. */
    static final String KEY = "drain_deadline";
    static final String DEFAULT_TEXT = "2m";
    /** Long enough for most calls to end on their own, short of a typical systemd stop timeout plus margin. */
    static final Duration DEFAULT = Duration.ofMinutes(2);
    private static final Duration MAX = Duration.ofDays(1);

    private DrainDeadline() {
    }

    /** Reads the key from the {@code relay} section, or the default; problems go to {@code context}. */
    static Duration read(JsonNode relay, BindContext context) {
        JsonNode node = relay.get(KEY);
        if (node == null || node.isNull()) {
            return DEFAULT;
        }
        String path = KeyPath.key("relay", KEY);
        String text = node.isTextual() ? node.textValue() : node.isIntegralNumber() ? node.asText() : null;
        try {
            if (text != null) {
                Duration d = DurationText.parse(text);
                if (d.compareTo(Duration.ofSeconds(1)) >= 0 && d.compareTo(MAX) <= 0) {
                    return d;
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        context.addProblem(path, "found " + Found.describe(node, context) + ", expected " + DurationText.EXPECTED
                + ", from 1s to 1d");
        return DEFAULT;
    }
}
