package dev.sluice.stages.documents;

import dev.sluice.schemas.documents.OpenDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The assembler's deadlines in stream time, kept in a time index (store {@value AssembleTopology#DUE_STORE}):
 * one key {@code <due time, 19 digits>|<submission>} per deadline, so keys sort by due time and a
 * punctuation reads only what is due instead of every open document and closed marker (markers live
 * for days). An open document is due {@code timeoutMs} after its first page, a closed marker
 * {@code closedRetentionMs} after it was emitted. Entries are hints: the reader re-checks the
 * document and {@link #schedule}s it again if it came early, which is idempotent (same key).
 */
final class DueIndex {
    private final KeyValueStore<String, String> store;
    private final long timeoutMs;
    private final long closedRetentionMs;

    DueIndex(KeyValueStore<String, String> store, long timeoutMs, long closedRetentionMs) {
        this.store = store;
        this.timeoutMs = timeoutMs;
        this.closedRetentionMs = closedRetentionMs;
    }

    /** Looks at {@code submission} again when it is due: timed out if open, forgotten if closed. */
    void schedule(String submission, OpenDocument d) {
        store.put(key(dueTime(d), submission), submission);
    }

    /** Schedules every document of {@code open}: for a store written before the index existed. */
    void scheduleAll(KeyValueStore<String, OpenDocument> open) {
        try (KeyValueIterator<String, OpenDocument> it = open.all()) {
            it.forEachRemaining(e -> schedule(e.key, e.value));
        }
    }

    /** Whether {@code d} is due at stream time {@code now}. */
    boolean isDue(OpenDocument d, long now) {
        return dueTime(d) <= now;
    }

    private long dueTime(OpenDocument d) {
        return d.getClosedAt() == null ? plus(d.getFirstSeen(), timeoutMs) : plus(d.getClosedAt(), closedRetentionMs);
    }

    /** Removes and returns the submissions due at or before {@code now}, earliest first. */
    List<String> takeDue(long now) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> e = it.next();
                if (dueTime(e.key) > now) {
                    break;
                }
                due.add(e);
            }
        }
        List<String> submissions = new ArrayList<>(due.size());
        for (KeyValue<String, String> e : due) {
            store.delete(e.key);
            submissions.add(e.value);
        }
        return submissions;
    }

    boolean isEmpty() {
        try (KeyValueIterator<String, String> it = store.all()) {
            return !it.hasNext();
        }
    }

    /** {@code time + duration}, saturating instead of overflowing. */
    private static long plus(long time, long duration) {
        long sum = time + duration;
        return sum < time ? Long.MAX_VALUE : sum;
    }

    private static String key(long due, String submission) {
        return String.format(Locale.ROOT, "%019d|%s", Math.max(0, due), submission);
    }

    private static long dueTime(String key) {
        return Long.parseLong(key.substring(0, key.indexOf('|')));
    }
}
