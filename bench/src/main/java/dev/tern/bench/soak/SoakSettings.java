package dev.tern.bench.soak;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a soak runs. Immutable.
 *
 * @param duration how long the churn lasts (after the warm-up)
 * @param launcherJar the launcher's fat jar ({@code examples/launcher/target/tern-launcher.jar})
 * @param workDir where the config, certificate and the launcher's log go
 * @param warmUp churn before the first measure, so lazily made things (threads, caches, JIT) exist in both
 * @param settleTimeout how long to wait, after churn, for allocations to expire and token buckets to go
 * @param flows steady flows (round-robin over UDP, TCP and TLS)
 * @param flowRate packets per second of each steady flow
 * @param flowSize payload bytes of each steady-flow packet
 * @param pause pause between two cycles of one churn activity
 * @param users Matrix users (access tokens) the churn picks from
 * @param skipped churn activities left out by name ({@code bad-packets}, ...), to find which one disturbs
 * @param allocationLifetime how long every allocation lives unless refreshed (the relay's default and maximum),
 *     10 s to 5 min: how soon abandoned allocations go, so how long a quiet moment waits for them
 * @param dataPlane the relay's {@code data_plane}: {@code auto} (the kernel plane as root), {@code kernel} or
 *     {@code user}
 */
public record SoakSettings(Duration duration, Path launcherJar, Path workDir, Duration warmUp, Duration settleTimeout,
        int flows, int flowRate, int flowSize, Duration pause, int users, java.util.Set<String> skipped, Duration allocationLifetime, String dataPlane) {

    /** The names {@code --skip} accepts. */
    public static final java.util.Set<String> ACTIVITIES = java.util.Set.of("turn-udp", "turn-tcp", "turn-tls",
            "bad-packets", "http", "uclient");

    /** The most steady flows a soak runs. */
    public static final int MAX_FLOWS = 64;

    public SoakSettings {
        skipped = java.util.Set.copyOf(skipped);
        for (String name : skipped) {
            if (!ACTIVITIES.contains(name)) {
                throw new IllegalArgumentException("--skip takes names from " + new java.util.TreeSet<>(ACTIVITIES)
                        + ", was '" + name + "'");
            }
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive, was " + duration);
        }
        if (flows < 1 || flows > MAX_FLOWS) {
            throw new IllegalArgumentException("--flows must be 1 to " + MAX_FLOWS + ", was " + flows);
        }
        if (flowRate < 1 || flowRate > 400) {
            throw new IllegalArgumentException("--flow-rate must be 1 to 400 packets per second, was " + flowRate);
        }
        if (flowSize < 12 || flowSize > 1200) {
            throw new IllegalArgumentException("--flow-size must be 12 to 1200 bytes, was " + flowSize);
        }
        if ((long) flowRate * flowSize * 8 * 2 > SoakLauncher.BITRATE_QUOTA) {
            throw new IllegalArgumentException("--flow-rate x --flow-size must stay under half the "
                    + SoakLauncher.BITRATE_QUOTA + " bit/s quota, was " + (long) flowRate * flowSize * 8 + " bit/s");
        }
        if (allocationLifetime.compareTo(Duration.ofSeconds(10)) < 0
                || allocationLifetime.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("--allocation-lifetime must be 10s to 5m, was " + allocationLifetime);
        }
        if (!java.util.Set.of("auto", "kernel", "user").contains(dataPlane)) {
            throw new IllegalArgumentException("--plane must be auto, kernel or user, was '" + dataPlane + "'");
        }
        if (users < 1 || users > 100) {
            throw new IllegalArgumentException("--users must be 1 to 100, was " + users);
        }
    }

    /** A builder with every setting unset (null or 0; no activity skipped). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings, to build a changed copy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builds {@link SoakSettings} by naming each setting; every one but {@code skipped} must be set.
     * {@link #build()} checks the ranges and throws {@link IllegalArgumentException} naming the option.
     * Not thread-safe.
     */
    public static final class Builder {
        private Duration duration;
        private Path launcherJar;
        private Path workDir;
        private Duration warmUp;
        private Duration settleTimeout;
        private int flows;
        private int flowRate;
        private int flowSize;
        private Duration pause;
        private int users;
        private java.util.Set<String> skipped = java.util.Set.of();
        private Duration allocationLifetime;
        private String dataPlane;

        private Builder() {
        }

        private Builder(SoakSettings from) {
            duration = from.duration;
            launcherJar = from.launcherJar;
            workDir = from.workDir;
            warmUp = from.warmUp;
            settleTimeout = from.settleTimeout;
            flows = from.flows;
            flowRate = from.flowRate;
            flowSize = from.flowSize;
            pause = from.pause;
            users = from.users;
            skipped = from.skipped;
            allocationLifetime = from.allocationLifetime;
            dataPlane = from.dataPlane;
        }

        /** How long the churn lasts (after the warm-up). */
        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        /** The launcher's fat jar ({@code examples/launcher/target/tern-launcher.jar}). */
        public Builder launcherJar(Path launcherJar) {
            this.launcherJar = launcherJar;
            return this;
        }

        /** Where the config, certificate and the launcher's log go. */
        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        /** Churn before the first measure, so lazily made things (threads, caches, JIT) exist in both. */
        public Builder warmUp(Duration warmUp) {
            this.warmUp = warmUp;
            return this;
        }

        /** How long to wait, after churn, for allocations to expire and token buckets to go. */
        public Builder settleTimeout(Duration settleTimeout) {
            this.settleTimeout = settleTimeout;
            return this;
        }

        /** Steady flows (round-robin over UDP, TCP and TLS). */
        public Builder flows(int flows) {
            this.flows = flows;
            return this;
        }

        /** Packets per second of each steady flow. */
        public Builder flowRate(int flowRate) {
            this.flowRate = flowRate;
            return this;
        }

        /** Payload bytes of each steady-flow packet. */
        public Builder flowSize(int flowSize) {
            this.flowSize = flowSize;
            return this;
        }

        /** Pause between two cycles of one churn activity. */
        public Builder pause(Duration pause) {
            this.pause = pause;
            return this;
        }

        /** Matrix users (access tokens) the churn picks from. */
        public Builder users(int users) {
            this.users = users;
            return this;
        }

        /** Churn activities left out by name ({@code bad-packets}, ...), to find which one disturbs. */
        public Builder skipped(java.util.Set<String> skipped) {
            this.skipped = skipped;
            return this;
        }

        /**
         * How long every allocation lives unless refreshed (the relay's default and maximum), 10 s to 5 min: how
         * soon abandoned allocations go, so how long a quiet moment waits for them.
         */
        public Builder allocationLifetime(Duration allocationLifetime) {
            this.allocationLifetime = allocationLifetime;
            return this;
        }

        /** The relay's {@code data_plane}: {@code auto} (the kernel plane as root), {@code kernel} or {@code user}. */
        public Builder dataPlane(String dataPlane) {
            this.dataPlane = dataPlane;
            return this;
        }

        /** The settings, checked. */
        public SoakSettings build() {
            return new SoakSettings(duration, launcherJar, workDir, warmUp, settleTimeout, flows, flowRate, flowSize,
                    pause, users, skipped, allocationLifetime, dataPlane);
        }
    }
}
