package dev.sluice.runtime;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of the transactional loop shared by every per-record stage: stalls on outages, crash loops, commits. */
public final class RuntimeConfig extends AbstractConfig {
    public static final String STALL_BACKOFF_INITIAL_MS_CONFIG = "stall.backoff.initial.ms";
    public static final String STALL_BACKOFF_INITIAL_MS_DOC = "First pause of a partition whose next record failed with a retriable error after its in-place retries; doubles per stall.";
    public static final String STALL_BACKOFF_MAX_MS_CONFIG = "stall.backoff.max.ms";
    public static final String STALL_BACKOFF_MAX_MS_DOC = "Longest pause of a stalled partition between two tries of its record. A stall never ends in a dead letter by time alone.";
    public static final String IDENTICAL_FAILURES_CONFIG = "stall.dead.letter.after.identical.failures";
    public static final String IDENTICAL_FAILURES_DOC = "A retriable failure that is not an outage (e.g. a garbled body, an item still null) and that repeats with the same class and message this many times in a row is dead-lettered. Outages (connection errors, timeouts, HTTP 429/5xx, registry down) never are.";
    public static final String CRASHES_CONFIG = "poison.dead.letter.after.crashes";
    public static final String CRASHES_DOC = "A record that was in flight this many times in a row when its stage's process died without committing (a native crash, out of memory, SIGKILL) is dead-lettered unprocessed, so a crash loop ends. Owners after a crash process the partition one record per transaction to find the record. 0 turns the check off.";
    public static final String TX_COMMIT_ATTEMPTS_CONFIG = "transaction.commit.attempts";
    public static final String TX_COMMIT_ATTEMPTS_DOC = "Tries of a commitTransaction that times out before the batch is aborted and replayed.";
    public static final String TX_MIN_INTERVAL_MS_CONFIG = "transaction.min.interval.ms";
    public static final String TX_MIN_INTERVAL_MS_DOC = "Shortest time between two transactions of a per-record stage while a polled batch is in flight: its records commit, and so reach the next stage, as they finish (per partition in offset order), at most this often; the batch's last records commit at once.";

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(STALL_BACKOFF_INITIAL_MS_CONFIG, Type.LONG, 500L, Range.atLeast(1), Importance.LOW, STALL_BACKOFF_INITIAL_MS_DOC)
            .define(STALL_BACKOFF_MAX_MS_CONFIG, Type.LONG, 30_000L, Range.atLeast(1), Importance.LOW, STALL_BACKOFF_MAX_MS_DOC)
            .define(IDENTICAL_FAILURES_CONFIG, Type.INT, 20, Range.atLeast(1), Importance.MEDIUM, IDENTICAL_FAILURES_DOC)
            .define(CRASHES_CONFIG, Type.INT, 3, Range.atLeast(0), Importance.MEDIUM, CRASHES_DOC)
            .define(TX_COMMIT_ATTEMPTS_CONFIG, Type.INT, 5, Range.atLeast(1), Importance.LOW, TX_COMMIT_ATTEMPTS_DOC)
            .define(TX_MIN_INTERVAL_MS_CONFIG, Type.LONG, 100L, Range.atLeast(0), Importance.LOW, TX_MIN_INTERVAL_MS_DOC);

    public RuntimeConfig(Map<?, ?> originals) {
        super(CONFIG, originals, false);
        if (getLong(STALL_BACKOFF_MAX_MS_CONFIG) < getLong(STALL_BACKOFF_INITIAL_MS_CONFIG)) {
            throw new org.apache.kafka.common.config.ConfigException(STALL_BACKOFF_MAX_MS_CONFIG + " ("
                    + getLong(STALL_BACKOFF_MAX_MS_CONFIG) + ") is below " + STALL_BACKOFF_INITIAL_MS_CONFIG + " ("
                    + getLong(STALL_BACKOFF_INITIAL_MS_CONFIG) + "); raise the first or lower the second");
        }
    }

    /** The stall policy these settings describe. */
    public StallPolicy stallPolicy() {
        return new StallPolicy(Duration.ofMillis(getLong(STALL_BACKOFF_INITIAL_MS_CONFIG)),
                Duration.ofMillis(getLong(STALL_BACKOFF_MAX_MS_CONFIG)), getInt(IDENTICAL_FAILURES_CONFIG),
                getInt(TX_COMMIT_ATTEMPTS_CONFIG), getInt(CRASHES_CONFIG));
    }

    /** The shortest time between two transactions of a batch in flight ({@value #TX_MIN_INTERVAL_MS_CONFIG}). */
    public Duration transactionMinInterval() {
        return Duration.ofMillis(getLong(TX_MIN_INTERVAL_MS_CONFIG));
    }

    /**
     * How the loop treats a record that outlived its in-place retries.
     *
     * @param initialBackoff   first pause of the partition
     * @param maxBackoff       cap of the doubling pause
     * @param identicalToGiveUp identical non-outage failures in a row that dead-letter the record
     * @param commitAttempts   tries of a timed-out commitTransaction
     * @param crashesToGiveUp  crashes in a row with the record in flight that dead-letter it (0: never)
     */
    public record StallPolicy(Duration initialBackoff, Duration maxBackoff, int identicalToGiveUp, int commitAttempts,
                              int crashesToGiveUp) {
        public static final StallPolicy DEFAULT = new RuntimeConfig(Map.of()).stallPolicy();

        /** Pause after the {@code n}-th stall (1-based) of one record. */
        public Duration backoff(int n) {
            long ms = initialBackoff.toMillis() << Math.min(n - 1, 20);
            return Duration.ofMillis(Math.min(Math.max(ms, 0), maxBackoff.toMillis()));
        }
    }
}
