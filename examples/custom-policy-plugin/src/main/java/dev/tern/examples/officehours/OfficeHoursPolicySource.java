package dev.tern.examples.officehours;

import dev.tern.spi.Subject;
import dev.tern.spi.TurnPolicy;
import dev.tern.spi.PolicyAnswer;
import dev.tern.spi.PolicySource;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Forces relaying outside office hours: inside them it answers {@code force_relay: false} (rule
 * {@code office hours}), outside {@code force_relay: true} (rule {@code outside office hours}), the same
 * for every user, so the server-wide answer (the well-known flag) follows the clock too.
 *
 * <p>Thread-safe and non-blocking: it only reads the injected clock.
 */
public final class OfficeHoursPolicySource implements PolicySource {

    /** The rule name while the office is open. */
    public static final String OPEN_RULE = "office hours";
    /** The rule name while it is closed. */
    public static final String CLOSED_RULE = "outside office hours";

    private final OfficeHoursConfig config;
    private final Clock clock;

    public OfficeHoursPolicySource(OfficeHoursConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    public CompletionStage<PolicyAnswer> evaluate(Subject subject) {
        return evaluateServerWide();
    }

    @Override
    public CompletionStage<PolicyAnswer> evaluateServerWide() {
        boolean open = isOpen();
        return CompletableFuture.completedFuture(PolicyAnswer.byRule(open ? OPEN_RULE : CLOSED_RULE,
                TurnPolicy.builder().forceRelay(!open).build()));
    }

    /** Whether the office is open now. */
    public boolean isOpen() {
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(config.zone()));
        LocalTime time = now.toLocalTime();
        return config.days().contains(now.getDayOfWeek()) && !time.isBefore(config.opening())
                && time.isBefore(config.closing());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "OfficeHoursPolicySource[%s %s-%s %s]", config.days(), config.opens(),
                config.closes(), config.timeZone());
    }
}
