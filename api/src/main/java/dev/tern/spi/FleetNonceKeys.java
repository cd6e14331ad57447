package dev.tern.spi;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The nonce keys of a fleet's relays: a fresh random key, and which live relays sign nonces with another key than a
 * given relay, from the digests their heartbeats
 * publish ({@link RelayStatus.Setup#nonceKeyDigest()}). Relays whose key is not known (older heartbeats) are left
 * out. A browser sent from one relay to another by a 300 Try Alternate carries the first relay's nonce; the second
 * answers 438 Stale Nonce unless both share the key, and the browser gives up. Stateless.
 */
public final class FleetNonceKeys {

    private FleetNonceKeys() {
    }

    /**
     * The ids of the live relays whose nonce key digest differs from {@code relayId}'s, in the order of
     * {@code live}; empty when that relay is not among them or its key is not known.
     */
    public static List<String> relaysWithAnotherKey(String relayId, List<RelayStatus> live) {
        Objects.requireNonNull(relayId, "relayId");
        String own = null;
        for (RelayStatus r : live) {
            if (r.relayId().equals(relayId)) {
                own = r.setup().nonceKeyDigest();
            }
        }
        List<String> others = new ArrayList<>();
        if (own == null || own.isEmpty()) {
            return others;
        }
        for (RelayStatus r : live) {
            String digest = r.setup().nonceKeyDigest();
            if (!r.relayId().equals(relayId) && !digest.isEmpty() && !digest.equals(own)) {
                others.add(r.relayId());
            }
        }
        return List.copyOf(others);
    }

    /** What to say about those relays: {@code relays X, Y use another nonce key: 300 Try Alternate will fail...}. */
    public static String detail(List<String> relayIds) {
        return "relay" + (relayIds.size() == 1 ? " " : "s ") + String.join(", ", relayIds)
                + (relayIds.size() == 1 ? " uses" : " use") + " another nonce key: 300 Try Alternate will fail for "
                + "browsers";
    }

    /** A fresh random 32-byte key, for a relay without a configured or shared one. */
    public static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
