package dev.tern.policy;

import dev.tern.spi.Bitrate;
import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyField;
import dev.tern.spi.Provenance;
import dev.tern.spi.Transport;
import dev.tern.spi.TurnPolicy;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Merges the answers of several sources field by field so that the most restrictive value wins:
 * relaying is forced if any source forces it, TURN and guests are allowed only if every source
 * allows them, numeric limits take the minimum, transports the intersection. On a tie the first
 * source in config order keeps the provenance. Fields no source answered are filled from the
 * defaults.
 *
 * <p>When the transport sets of two sources have nothing in common, no transport is allowed by all
 * of them: the merge then answers {@code turn_allowed: false} with a rule saying so, and keeps the
 * last non-empty intersection as the transport set.
 *
 * <p>Stateless and thread-safe.
 */
final class RestrictiveMerge {

    private RestrictiveMerge() {
    }

    /**
     * Merges the answers, given in config order, over the defaults.
     *
     * @param defaults what applies to fields no source answered
     * @param answers every source's answer, in config order
     */
    static PolicyDecision merge(TurnPolicy defaults, List<NamedAnswer> answers) {
        Map<PolicyField, Object> values = new EnumMap<>(PolicyField.class);
        Map<PolicyField, Provenance> provenance = new EnumMap<>(PolicyField.class);
        Optional<Provenance> noCommonTransport = Optional.empty();
        for (NamedAnswer named : answers) {
            for (PolicyField field : PolicyField.values()) {
                Optional<Object> offered = field.valueIn(named.answer().policy());
                if (offered.isEmpty()) {
                    continue;
                }
                Object current = values.get(field);
                if (current == null) {
                    values.put(field, offered.get());
                    provenance.put(field, named.provenanceOf(field));
                } else if (field == PolicyField.TRANSPORTS) {
                    Set<Transport> common = intersect(current, offered.get());
                    if (common.isEmpty()) {
                        Provenance before = provenance.get(field);
                        Provenance now = named.provenanceOf(field);
                        noCommonTransport = Optional.of(new Provenance(before.source() + ", " + now.source(),
                                "no transport allowed by both " + before.rule() + " and " + now.rule()));
                    } else if (!common.equals(current)) {
                        values.put(field, common);
                        provenance.put(field, common.equals(offered.get()) ? named.provenanceOf(field)
                                : combine(provenance.get(field), named.provenanceOf(field)));
                    }
                } else if (moreRestrictive(field, offered.get(), current)) {
                    values.put(field, offered.get());
                    provenance.put(field, named.provenanceOf(field));
                }
            }
        }
        if (noCommonTransport.isPresent() && !Boolean.FALSE.equals(values.get(PolicyField.TURN_ALLOWED))) {
            values.put(PolicyField.TURN_ALLOWED, false);
            provenance.put(PolicyField.TURN_ALLOWED, noCommonTransport.get());
        }
        for (PolicyField field : PolicyField.values()) {
            if (!values.containsKey(field)) {
                field.valueIn(defaults).ifPresent(value -> {
                    values.put(field, value);
                    provenance.put(field, Provenance.DEFAULTS);
                });
            }
        }
        return new PolicyDecision(build(values), provenance);
    }

    private static boolean moreRestrictive(PolicyField field, Object candidate, Object current) {
        return switch (field) {
            case FORCE_RELAY -> (Boolean) candidate && !(Boolean) current;
            case TURN_ALLOWED, GUESTS_ALLOWED -> !(Boolean) candidate && (Boolean) current;
            case MAX_ALLOCATIONS -> (Integer) candidate < (Integer) current;
            case MAX_BITRATE -> ((Bitrate) candidate).compareTo((Bitrate) current) < 0;
            case MAX_CREDENTIAL_LIFETIME -> ((Duration) candidate).compareTo((Duration) current) < 0;
            case TRANSPORTS -> throw new AssertionError("transports are intersected, not compared");
        };
    }

    @SuppressWarnings("unchecked")
    private static Set<Transport> intersect(Object a, Object b) {
        EnumSet<Transport> common = EnumSet.copyOf((Set<Transport>) a);
        common.retainAll((Set<Transport>) b);
        return Set.copyOf(common);
    }

    private static Provenance combine(Provenance a, Provenance b) {
        return new Provenance(a.source() + ", " + b.source(), a.rule() + " and " + b.rule());
    }

    @SuppressWarnings("unchecked")
    private static TurnPolicy build(Map<PolicyField, Object> values) {
        TurnPolicy.Builder builder = TurnPolicy.builder();
        values.forEach((field, value) -> {
            switch (field) {
                case FORCE_RELAY -> builder.forceRelay((Boolean) value);
                case TURN_ALLOWED -> builder.turnAllowed((Boolean) value);
                case GUESTS_ALLOWED -> builder.guestsAllowed((Boolean) value);
                case MAX_ALLOCATIONS -> builder.maxAllocations((Integer) value);
                case MAX_BITRATE -> builder.maxBitrate((Bitrate) value);
                case TRANSPORTS -> builder.transports((Set<Transport>) value);
                case MAX_CREDENTIAL_LIFETIME -> builder.maxCredentialLifetime((Duration) value);
            }
        });
        return builder.build();
    }
}
