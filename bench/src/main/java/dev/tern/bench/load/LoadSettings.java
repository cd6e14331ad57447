package dev.tern.bench.load;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a relay load run does.
 *
 * @param server the TURN server (UDP)
 * @param secret TURN REST shared secret, or null when {@code user}/{@code password} are fixed
 * @param user fixed username, or the user part of TURN REST usernames
 * @param password fixed password, or null with a secret
 * @param allocations how many allocations (one UDP socket each)
 * @param rate packets per second per allocation, client to peer
 * @param size payload bytes per packet, at least 16
 * @param duration how long to send
 * @param sendIndications Send/Data indications instead of channels
 * @param serverPid the server process to measure CPU of, if any
 * @param peerHost where the echo peer listens (loopback by default)
 */
public record LoadSettings(InetSocketAddress server, String secret, String user, String password,
        int allocations, int rate, int size, Duration duration, boolean sendIndications,
        OptionalLong serverPid, String peerHost) {

    /** Checks ranges. */
    public LoadSettings {
        Objects.requireNonNull(server, "server");
        if (secret == null && (user == null || password == null)) {
            throw new IllegalArgumentException("give --secret, or --user and --password");
        }
        if (allocations < 1 || rate < 1 || size < 16 || size > 1400) {
            throw new IllegalArgumentException("need --allocations >= 1, --rate >= 1, --size from 16 to 1400");
        }
        if (duration.isNegative() || duration.isZero() || duration.toSeconds() > 240) {
            throw new IllegalArgumentException("--duration must be from 1 ms to 240 s (permissions are not refreshed)");
        }
    }

    /** The same settings at another rate. */
    public LoadSettings withRate(int newRate) {
        return new LoadSettings(server, secret, user, password, allocations, newRate, size, duration,
                sendIndications, serverPid, peerHost);
    }
}
