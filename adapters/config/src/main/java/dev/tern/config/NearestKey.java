package dev.tern.config;

import java.util.Collection;
import java.util.Optional;

/**
 * Finds the known name closest to a mistyped one (Levenshtein distance, a swap counting as one edit), for "did you mean" hints.
 * Stateless and thread-safe.
 */
final class NearestKey {

    private NearestKey() {
    }

    /**
     * The candidate nearest to {@code typed}, if one is close enough to be a plausible typo: at most a
     * third of the longer name's length, and at least one edit allowed.
     */
    static Optional<String> among(String typed, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(typed.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        int allowed = Math.max(1, Math.max(typed.length(), best.length()) / 3);
        if (bestDistance <= allowed) {
            return Optional.of(best);
        }
        // A truncated key (cert for cert_file) is far by distance but an obvious match.
        for (String candidate : candidates) {
            if (typed.length() >= 3 && candidate.startsWith(typed)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** " (did you mean 'x'?)" or an empty string. */
    static String hint(String typed, Collection<String> candidates) {
        return among(typed, candidates).map(k -> " (did you mean '" + k + "'?)").orElse("");
    }

    /** Edit distance counting a swap of two neighbouring letters as one edit (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
