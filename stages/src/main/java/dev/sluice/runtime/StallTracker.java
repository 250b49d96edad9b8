package dev.sluice.runtime;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Per-partition state of records that outlived their in-place retries: since when, how often, the
 * last error, when to try again, and whether the record has failed identically often enough (and
 * not as an outage) to be given up on.
 */
final class StallTracker {
    private final RuntimeConfig.StallPolicy policy;
    private final Clock clock;
    private final Map<TopicPartition, State> stalls = new ConcurrentHashMap<>();

    private static final class State {
        final long offset;
        final Instant since;
        int stalls;
        int attempts;
        int identical;
        String signature;
        String lastError;
        Instant resumeAt;

        State(long offset, Instant since) {
            this.offset = offset;
            this.since = since;
        }
    }

    StallTracker(RuntimeConfig.StallPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * Records that {@code r} failed again; true when the record should now be dead-lettered: a
     * non-outage failure repeated identically {@code identicalToGiveUp} times in a row.
     */
    boolean stalledAgain(TopicPartition tp, RecordResult r) {
        State s = stalls.compute(tp, (k, old) -> old != null && old.offset == r.origin().offset() ? old
                : new State(r.origin().offset(), clock.instant()));
        Throwable last = r.error() instanceof RetriesExhaustedException && r.error().getCause() != null
                ? r.error().getCause() : r.error();
        String signature = StageInvoker.signature(last);
        s.identical = signature.equals(s.signature) ? s.identical + r.repeats() : r.repeats();
        s.signature = signature;
        s.lastError = StageInvoker.describe(last);
        s.attempts += r.attempts();
        s.stalls++;
        s.resumeAt = clock.instant().plus(policy.backoff(s.stalls));
        return !ErrorClassifier.isOutage(r.error()) && s.identical >= policy.identicalToGiveUp();
    }

    /** Forgets the partition's stall (its record succeeded, was dead-lettered, or the partition left). */
    void clear(TopicPartition tp) {
        stalls.remove(tp);
    }

    void clear(Collection<TopicPartition> tps) {
        tps.forEach(stalls::remove);
    }

    /** Prefix of the committed-offset metadata of a stalled partition, which {@code sluice status} shows. */
    static final String METADATA_PREFIX = "stalled since ";

    /**
     * The committed-offset metadata that marks the partition stalled for {@code status} and other
     * instances: since when, attempts and the last error (at most 512 characters).
     */
    String metadata(TopicPartition tp) {
        State s = stalls.get(tp);
        String text = METADATA_PREFIX + s.since + ", " + s.attempts + " attempts, last error " + s.lastError;
        return text.length() <= 512 ? text : text.substring(0, 509) + "...";
    }

    /** Attempts made so far on the partition's stalled record, over all its stalls. */
    int attempts(TopicPartition tp) {
        State s = stalls.get(tp);
        return s == null ? 0 : s.attempts;
    }

    /** The offset a stalled partition must be re-read from. */
    long offset(TopicPartition tp) {
        return stalls.get(tp).offset;
    }

    /** Stalled partitions whose pause is over. */
    List<TopicPartition> due() {
        Instant now = clock.instant();
        List<TopicPartition> due = new ArrayList<>();
        stalls.forEach((tp, s) -> {
            if (s.resumeAt != null && !now.isBefore(s.resumeAt)) {
                s.resumeAt = null;
                due.add(tp);
            }
        });
        return due;
    }

    List<Stall> snapshot() {
        List<Stall> out = new ArrayList<>();
        stalls.forEach((tp, s) -> out.add(new Stall(tp.topic(), tp.partition(), s.offset, s.since, s.attempts, s.lastError)));
        return out;
    }

    int size() {
        return stalls.size();
    }
}
