package dev.tern.policy;

import dev.tern.spi.Bitrate;
import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyField;
import dev.tern.spi.Subject;
import dev.tern.spi.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders a {@link PolicyDecision} for people: every field in {@link PolicyField} order with its
 * effective value and the source and rule that set it. This is what {@code tern policy explain}
 * prints:
 *
 * <pre>
 * Policy for @alice:example.org
 *   force_relay              true       rules / sensitive-staff
 *   turn_allowed             true       defaults / policy.defaults
 *   max_allocations          unlimited  (not set by any source or default)
 * </pre>
 *
 * <p>Stateless and thread-safe. Values are written as config writes them ({@code 2M},
 * {@code 12h}, {@code udp, tls}); unanswered fields show their built-in meaning (relay not forced,
 * TURN and guests allowed, no limit).
 */
public final class DecisionExplainer {

    private static final String NOT_SET = "(not set by any source or default)";

    /** The decision for one subject, as text ending with a newline. */
    public String explain(Subject subject, PolicyDecision decision) {
        return render("Policy for " + subject.userId() + (subject.guest() ? " (guest)" : "")
                + subject.remoteAddress().map(a -> " from " + a.getHostAddress()).orElse(""), decision);
    }

    /** The server-wide decision (what the well-known document publishes), as text ending with a newline. */
    public String explainServerWide(PolicyDecision decision) {
        return render("Server-wide policy (published as im.vector.riot.forceTurn: " + decision.forceRelay() + ")",
                decision);
    }

    /** The decision as one entry per field, in {@link PolicyField} order. */
    public List<ExplainedField> fields(PolicyDecision decision) {
        List<ExplainedField> fields = new ArrayList<>();
        for (PolicyField field : PolicyField.values()) {
            fields.add(new ExplainedField(field, field.valueIn(decision.policy()).map(DecisionExplainer::format)
                    .orElseGet(() -> builtIn(field)), decision.provenanceOf(field)));
        }
        return fields;
    }

    private String render(String title, PolicyDecision decision) {
        List<ExplainedField> fields = fields(decision);
        int keyWidth = fields.stream().mapToInt(f -> f.field().configKey().length()).max().orElse(0);
        int valueWidth = fields.stream().mapToInt(f -> f.value().length()).max().orElse(0);
        StringBuilder out = new StringBuilder(title).append('\n');
        for (ExplainedField f : fields) {
            out.append("  ").append(pad(f.field().configKey(), keyWidth)).append("  ").append(pad(f.value(), valueWidth))
                    .append("  ").append(f.provenance().map(Object::toString).orElse(NOT_SET)).append('\n');
        }
        return out.toString();
    }

    private static String builtIn(PolicyField field) {
        return switch (field) {
            case FORCE_RELAY -> "false";
            case TURN_ALLOWED, GUESTS_ALLOWED -> "true";
            case MAX_ALLOCATIONS, MAX_BITRATE, MAX_CREDENTIAL_LIFETIME -> "unlimited";
            case TRANSPORTS -> "any";
        };
    }

    @SuppressWarnings("unchecked")
    private static String format(Object value) {
        if (value instanceof Bitrate bitrate) {
            return bitrate.toString();
        }
        if (value instanceof Duration duration) {
            return format(duration);
        }
        if (value instanceof Set<?> set) {
            return EnumSet.copyOf((Set<Transport>) set).stream().map(Transport::configName)
                    .collect(Collectors.joining(", "));
        }
        return String.valueOf(value).toLowerCase(Locale.ROOT);
    }

    private static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        } else if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        } else if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        } else if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
