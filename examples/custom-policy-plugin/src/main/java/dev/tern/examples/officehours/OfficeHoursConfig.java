package dev.tern.examples.officehours;

import dev.tern.spi.InvalidSettingException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Set;

/**
 * Config of the {@code office-hours} policy source.
 *
 * <pre>{@code
 * policy:
 *   sources:
 *     - type: office-hours
 *       name: office
 *       time_zone: Europe/Berlin       # default UTC
 *       opens: "08:00"                 # default 08:00
 *       closes: "18:00"                # default 18:00, after opens
 *       days: [monday, tuesday, wednesday, thursday, friday]   # the default
 * }</pre>
 *
 * <p>Immutable and thread-safe. A bad value throws {@link InvalidSettingException} naming the key.
 *
 * @param timeZone the zone office hours are written in
 * @param opens when the office opens, {@code HH:mm}
 * @param closes when it closes, {@code HH:mm}, after {@code opens}
 * @param days the days the office is open
 */
public record OfficeHoursConfig(String timeZone, String opens, String closes, Set<DayOfWeek> days) {

    public OfficeHoursConfig {
        timeZone = timeZone == null ? "UTC" : timeZone;
        zone(timeZone);
        opens = opens == null ? "08:00" : opens;
        closes = closes == null ? "18:00" : closes;
        if (!time("closes", closes).isAfter(time("opens", opens))) {
            throw new InvalidSettingException("closes", "must be after opens (" + opens + ")");
        }
        days = days == null ? EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY) : days;
        if (days.isEmpty()) {
            throw new InvalidSettingException("days", "must name at least one day, like [monday, friday]");
        }
        days = Set.copyOf(days);
    }

    /** The zone. */
    public ZoneId zone() {
        return zone(timeZone);
    }

    /** Opening time. */
    public LocalTime opening() {
        return time("opens", opens);
    }

    /** Closing time. */
    public LocalTime closing() {
        return time("closes", closes);
    }

    private static ZoneId zone(String text) {
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new InvalidSettingException("time_zone", "'" + text + "' is not a time zone, like UTC or Europe/Berlin");
        }
    }

    private static LocalTime time(String key, String text) {
        try {
            return LocalTime.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidSettingException(key, "'" + text + "' is not a time of day like 08:00");
        }
    }
}
