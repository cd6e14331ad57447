package dev.tern.policy.file;

import dev.tern.spi.Subject;
import dev.tern.policy.FirstMatchAnswer;
import dev.tern.spi.GroupMembership;
import dev.tern.spi.PolicyAnswer;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of one version of a policy file, in file order. For each field, the first matching rule
 * that sets it decides.
 *
 * <p>Immutable and thread-safe.
 *
 * @param rules the rules, each with a name
 */
public record RuleBook(List<FileRule> rules) {

    /** A policy file with no rules: it answers nothing. */
    public static final RuleBook EMPTY = new RuleBook(List.of());

    public RuleBook {
        List<FileRule> named = new ArrayList<>();
        for (int i = 0; i < (rules == null ? 0 : rules.size()); i++) {
            named.add(rules.get(i).named("rules[" + i + "]"));
        }
        rules = List.copyOf(named);
    }

    /** What the rules say about the subject, given its groups. */
    public PolicyAnswer evaluate(Subject subject, GroupMembership membership) {
        FirstMatchAnswer answer = new FirstMatchAnswer();
        for (FileRule rule : rules) {
            if (answer.complete()) {
                break;
            }
            if (rule.match().matches(subject, membership)) {
                answer.add(rule.name(), rule.set().toPolicy());
            }
        }
        return answer.build();
    }

    /** What the rules that apply to every user of the server say. */
    public PolicyAnswer evaluateServerWide(String serverName) {
        FirstMatchAnswer answer = new FirstMatchAnswer();
        for (FileRule rule : rules) {
            if (rule.match().appliesToEveryone(serverName)) {
                answer.add(rule.name(), rule.set().toPolicy());
            }
        }
        return answer.build();
    }

    /** Whether any rule matches on groups. */
    public boolean needsGroups() {
        return rules.stream().anyMatch(rule -> rule.match().needsGroups());
    }
}
