package dev.tern.launcher.probe;

import dev.tern.spi.RelayStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code tern probe --fleet} says of the live relays' nonce keys, from the digests their heartbeats publish
 * (never the keys): one line per relay (digest, where its key came from), and which relays use another key than most
 * (the first relay's on a tie). A browser sent from one relay to another by 300 Try Alternate carries the first
 * relay's nonce and gives up on the 438 of a relay with another key. Relays whose heartbeat says no digest (older
 * versions) are shown as unknown and not counted. Stateless.
 */
public final class NonceKeyReport {

    private NonceKeyReport() {
    }

    /** The ids of the relays whose known digest differs from the one most relays publish, in the given order. */
    public static List<String> relaysWithAnotherKey(List<RelayStatus> relays) {
        Map<String, Integer> counts = new HashMap<>();
        String most = null;
        for (RelayStatus r : relays) {
            String digest = r.setup().nonceKeyDigest();
            if (!digest.isEmpty()) {
                int n = counts.merge(digest, 1, Integer::sum);
                if (most == null || n > counts.get(most)) {
                    most = digest;
                }
            }
        }
        List<String> others = new ArrayList<>();
        for (RelayStatus r : relays) {
            String digest = r.setup().nonceKeyDigest();
            if (!digest.isEmpty() && !digest.equals(most)) {
                others.add(r.relayId());
            }
        }
        return List.copyOf(others);
    }

    /** Writes the relays' nonce key lines and the verdict; returns whether every known key is the same. */
    public static boolean print(List<RelayStatus> relays, PrintWriter out) {
        List<String> others = relaysWithAnotherKey(relays);
        out.println("Nonce keys (digests; 300 Try Alternate needs one key on every relay):");
        for (RelayStatus r : relays) {
            RelayStatus.Setup s = r.setup();
            out.printf("  %-24s %-16s %-10s %s%n", r.relayId(), s.nonceKeyDigest().isEmpty() ? "-" : s.nonceKeyDigest(),
                    s.nonceKeyOrigin().name().toLowerCase(Locale.ROOT),
                    others.contains(r.relayId()) ? "ANOTHER KEY" : "");
        }
        if (!others.isEmpty()) {
            out.println("Relay" + (others.size() == 1 ? " " : "s ") + String.join(", ", others)
                    + (others.size() == 1 ? " uses" : " use") + " another nonce key than the others: 300 Try Alternate "
                    + "will fail for browsers.");
        }
        out.flush();
        return others.isEmpty();
    }
}
