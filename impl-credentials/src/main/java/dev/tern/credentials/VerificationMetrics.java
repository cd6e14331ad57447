package dev.tern.credentials;

import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.Verification;
import java.util.Map;
import java.util.Objects;

/**
 * Counts verifier outcomes as {@code tern_credentials_verified{type, result}}, result being
 * {@code accepted}, {@code expired}, {@code unknown}, {@code malformed} or {@code beyond_max_validity} (a
 * username expiring further ahead than the verifier accepts).
 *
 * <p>Immutable and thread-safe; the tag maps are built once.
 */
public final class VerificationMetrics {

    private final MetricsRecorder recorder;
    private final Map<String, String> accepted;
    private final Map<String, String> expired;
    private final Map<String, String> unknown;
    private final Map<String, String> malformed;
    private final Map<String, String> beyondMaxValidity;

    /**
     * @param type the provider type, {@code rest} or {@code static}
     * @param recorder where counts go
     */
    public VerificationMetrics(String type, MetricsRecorder recorder) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.accepted = Map.of("type", type, "result", "accepted");
        this.expired = Map.of("type", type, "result", "expired");
        this.unknown = Map.of("type", type, "result", "unknown");
        this.malformed = Map.of("type", type, "result", "malformed");
        this.beyondMaxValidity = Map.of("type", type, "result", "beyond_max_validity");
    }

    /** Counts one outcome. */
    public void record(Verification outcome) {
        Map<String, String> tags;
        if (outcome instanceof Verification.Accepted) {
            tags = accepted;
        } else if (outcome instanceof Verification.Expired) {
            tags = expired;
        } else if (outcome instanceof Verification.Unknown) {
            tags = unknown;
        } else {
            tags = malformed;
        }
        recorder.count("tern_credentials_verified", tags, 1);
    }

    /** Counts one username refused for expiring further ahead than the verifier accepts. */
    public void recordBeyondMaxValidity() {
        recorder.count("tern_credentials_verified", beyondMaxValidity, 1);
    }
}
