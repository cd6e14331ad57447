package dev.tern.fleet.redis;

import dev.tern.spi.RelayStatus;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@link RelayStatus} as the one line stored in Redis. Layout {@code v1}: tab-separated id, data plane, capacity,
 * allocations, bit rate, draining (0/1), seen-at milliseconds, then the URIs separated by spaces. Layout {@code v2}
 * is v1 with two more fields at the end: the nonce key's digest (16 hex digits) and its origin ({@code configured},
 * {@code fleet}, {@code own}). A status whose nonce key is not known is written as v1, and a v1 line reads with an
 * unknown nonce key, so relays of both versions read each other's v1 lines (a v1-only relay leaves v2 lines unread,
 * as it does any later layout). Stateless.
 */
final class RelayStatusLine {

    private static final String V1 = "v1";
    private static final String V2 = "v2";

    private RelayStatusLine() {
    }

    static String write(RelayStatus s) {
        StringBuilder uris = new StringBuilder();
        for (URI u : s.uris()) {
            uris.append(uris.length() == 0 ? "" : " ").append(u);
        }
        RelayStatus.Load load = s.load();
        RelayStatus.Setup setup = s.setup();
        boolean known = setup.nonceKeyOrigin() != RelayStatus.NonceKeyOrigin.UNKNOWN;
        String v1Fields = String.join("\t", clean(s.relayId()), clean(setup.dataPlane()),
                Integer.toString(load.capacity()), Integer.toString(load.allocations()),
                Long.toString(load.relayedBitsPerSecond()), s.draining() ? "1" : "0",
                Long.toString(s.seenAt().toEpochMilli()), uris.toString());
        return known ? String.join("\t", V2, v1Fields, setup.nonceKeyDigest(),
                setup.nonceKeyOrigin().name().toLowerCase(Locale.ROOT)) : V1 + "\t" + v1Fields;
    }

    /** The status in a line, or empty for a line this version cannot read (another relay's newer layout). */
    static Optional<RelayStatus> read(String line) {
        String[] f = line.split("\t", -1);
        boolean v1 = f.length == 9 && f[0].equals(V1);
        boolean v2 = f.length == 11 && f[0].equals(V2);
        if (!v1 && !v2) {
            return Optional.empty();
        }
        try {
            List<URI> uris = new ArrayList<>();
            for (String u : f[8].split(" ")) {
                if (!u.isEmpty()) {
                    uris.add(URI.create(u));
                }
            }
            RelayStatus.Load load = new RelayStatus.Load(Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                    Long.parseLong(f[5]));
            RelayStatus.Setup setup = v1 ? RelayStatus.Setup.unknownKey(f[2]) : new RelayStatus.Setup(f[2], f[9],
                    RelayStatus.NonceKeyOrigin.valueOf(f[10].toUpperCase(Locale.ROOT)));
            return Optional.of(new RelayStatus(f[1], uris, setup, load, f[6].equals("1"),
                    Instant.ofEpochMilli(Long.parseLong(f[7]))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String clean(String text) {
        return text.replace('\t', ' ').replace('\n', ' ');
    }
}
