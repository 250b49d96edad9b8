package dev.sluice.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A retriable failure that kept failing until the retry policy ran out. Its message summarises
 * every distinct error seen (most frequent first), so a dead letter says why the record failed
 * even when the last attempt failed differently (e.g. "not visible yet (6 times); HTTP 500 (2 times)").
 * The last error is the cause.
 */
public final class RetriesExhaustedException extends Exception {
    private static final long serialVersionUID = 1L;

    RetriesExhaustedException(int attempts, long elapsedMs, Map<String, Integer> errors, Throwable last) {
        super("gave up after " + attempts + " attempts in " + elapsedMs + " ms: " + summary(errors), last);
    }

    private static String summary(Map<String, Integer> errors) {
        return errors.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(e -> e.getKey() + " (" + e.getValue() + (e.getValue() == 1 ? " time)" : " times)"))
                .collect(Collectors.joining("; "));
    }

    /** Collects error messages of the attempts, at most a few distinct ones. */
    static final class Tally {
        private static final int MAX_DISTINCT = 5;
        private final Map<String, Integer> counts = new LinkedHashMap<>();

        void add(Throwable e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (counts.containsKey(m) || counts.size() < MAX_DISTINCT) {
                counts.merge(m, 1, Integer::sum);
            }
        }

        Map<String, Integer> counts() {
            return counts;
        }
    }
}
