package dev.tern.bench.soak;

/**
 * One measure compared at the start and the end of a soak. Immutable.
 *
 * @param name what was measured
 * @param start its value after the warm-up
 * @param end its value after churn stopped and everything expired
 * @param allowed the rule it had to meet, in words
 * @param passed whether it did
 */
record Check(String name, long start, long end, String allowed, boolean passed) {

    /** End must not exceed start plus {@code tolerance}. */
    static Check atMost(String name, long start, long end, long tolerance, String why) {
        return new Check(name, start, end, (tolerance == 0 ? "end <= start" : "end <= start + " + tolerance)
                + (why.isEmpty() ? "" : " (" + why + ")"), end <= start + tolerance);
    }

    /** Both must be exactly {@code expected}. */
    static Check exactly(String name, long start, long end, long expected) {
        return new Check(name, start, end, "start = end = " + expected, start == expected && end == expected);
    }
}
