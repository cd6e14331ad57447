package dev.tern.bench.soak;

import java.util.List;

/**
 * One activity's count over a soak. Immutable.
 *
 * @param name the activity
 * @param completed cycles that completed
 * @param failed cycles that threw
 * @param firstErrors the first few failures, as "Type: message"
 */
record ActivityResult(String name, long completed, long failed, List<String> firstErrors) {

    ActivityResult {
        firstErrors = List.copyOf(firstErrors);
    }
}
