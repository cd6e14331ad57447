package dev.tern.fleet.redis;

import dev.tern.spi.RelayStatus;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link RelayStatus} as the one line stored in Redis: tab-separated id, data plane, capacity, allocations, bit
 * rate, draining (0/1), seen-at milliseconds, then the URIs separated by spaces. Version-tagged ({@code v1}) so a
 * later layout can be told apart. Stateless.
 */
final class RelayStatusLine {

    private static final String VERSION = "v1";

    private RelayStatusLine() {
    }

    static String write(RelayStatus s) {
        StringBuilder uris = new StringBuilder();
        for (URI u : s.uris()) {
            uris.append(uris.length() == 0 ? "" : " ").append(u);
        }
        RelayStatus.Load load = s.load();
        return String.join("\t", VERSION, clean(s.relayId()), clean(s.dataPlane()), Integer.toString(load.capacity()),
                Integer.toString(load.allocations()), Long.toString(load.relayedBitsPerSecond()), s.draining() ? "1" : "0",
                Long.toString(s.seenAt().toEpochMilli()), uris.toString());
    }

    /** The status in a line, or empty for a line this version cannot read (another relay's newer layout). */
    static Optional<RelayStatus> read(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 9 || !f[0].equals(VERSION)) {
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
            return Optional.of(new RelayStatus(f[1], uris, f[2], load, f[6].equals("1"),
                    Instant.ofEpochMilli(Long.parseLong(f[7]))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String clean(String text) {
        return text.replace('\t', ' ').replace('\n', ' ');
    }
}
