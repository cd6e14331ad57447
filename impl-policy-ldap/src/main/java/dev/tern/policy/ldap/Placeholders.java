package dev.tern.policy.ldap;

import dev.tern.spi.InvalidSettingException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code {name}} placeholders of the {@code ldap} source's filters ({@code user_filter},
 * {@code group_search.filter}): which are used, and a config error naming the key and the allowed ones
 * when a filter uses another, or is not a parenthesized filter. Stateless and thread-safe.
 */
final class Placeholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");

    private Placeholders() {
    }

    /**
     * The placeholders the filter uses.
     *
     * @throws InvalidSettingException ({@code key}) for an unknown placeholder or a filter not in parentheses
     */
    static Set<String> check(String key, String filter, List<String> allowed) {
        Set<String> used = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(filter);
        while (m.find()) {
            if (!allowed.contains(m.group(1))) {
                throw new InvalidSettingException(key, "unknown placeholder {" + m.group(1) + "} (expected "
                        + describe(allowed) + ")");
            }
            used.add(m.group(1));
        }
        if (!filter.startsWith("(") || !filter.endsWith(")")) {
            throw new InvalidSettingException(key, "must be an LDAP filter in parentheses, like (uid={localpart})");
        }
        return used;
    }

    /** {@code {a}, {b} or {c}}. */
    static String describe(List<String> allowed) {
        List<String> braced = allowed.stream().map(name -> "{" + name + "}").toList();
        return braced.size() == 1 ? braced.get(0)
                : braced.subList(0, braced.size() - 1).stream().collect(Collectors.joining(", "))
                        + " or " + braced.get(braced.size() - 1);
    }
}
