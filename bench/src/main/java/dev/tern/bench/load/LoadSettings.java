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
        return toBuilder().rate(newRate).build();
    }

    /** A builder with every setting unset (null, 0 or false; no server process to measure). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings, to build a changed copy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builds {@link LoadSettings} by naming each setting. {@link #build()} checks the ranges and throws
     * {@link IllegalArgumentException} naming the option. Not thread-safe.
     */
    public static final class Builder {
        private InetSocketAddress server;
        private String secret;
        private String user;
        private String password;
        private int allocations;
        private int rate;
        private int size;
        private Duration duration;
        private boolean sendIndications;
        private OptionalLong serverPid = OptionalLong.empty();
        private String peerHost;

        private Builder() {
        }

        private Builder(LoadSettings from) {
            server = from.server;
            secret = from.secret;
            user = from.user;
            password = from.password;
            allocations = from.allocations;
            rate = from.rate;
            size = from.size;
            duration = from.duration;
            sendIndications = from.sendIndications;
            serverPid = from.serverPid;
            peerHost = from.peerHost;
        }

        /** The TURN server (UDP). */
        public Builder server(InetSocketAddress server) {
            this.server = server;
            return this;
        }

        /** TURN REST shared secret, or null when {@code user}/{@code password} are fixed. */
        public Builder secret(String secret) {
            this.secret = secret;
            return this;
        }

        /** Fixed username, or the user part of TURN REST usernames. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** Fixed password, or null with a secret. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** How many allocations (one UDP socket each). */
        public Builder allocations(int allocations) {
            this.allocations = allocations;
            return this;
        }

        /** Packets per second per allocation, client to peer. */
        public Builder rate(int rate) {
            this.rate = rate;
            return this;
        }

        /** Payload bytes per packet, at least 16. */
        public Builder size(int size) {
            this.size = size;
            return this;
        }

        /** How long to send. */
        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        /** Send/Data indications instead of channels. */
        public Builder sendIndications(boolean sendIndications) {
            this.sendIndications = sendIndications;
            return this;
        }

        /** The server process to measure CPU of, if any. */
        public Builder serverPid(OptionalLong serverPid) {
            this.serverPid = serverPid;
            return this;
        }

        /** Where the echo peer listens (loopback by default). */
        public Builder peerHost(String peerHost) {
            this.peerHost = peerHost;
            return this;
        }

        /** The settings, checked. */
        public LoadSettings build() {
            return new LoadSettings(server, secret, user, password, allocations, rate, size, duration,
                    sendIndications, serverPid, peerHost);
        }
    }
}
