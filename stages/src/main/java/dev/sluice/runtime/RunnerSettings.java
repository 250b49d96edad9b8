package dev.sluice.runtime;

import dev.sluice.stage.Names;
import dev.sluice.stage.StageDefinition;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;

/**
 * How a transactional stage runner connects and batches.
 *
 * @param clientProps     Kafka client properties shared by all clients (bootstrap servers, security)
 * @param instanceId      stable id of this process (pod name); part of the transactional id, so a
 *                        restarted instance fences its predecessor and aborts its open transaction at once
 * @param maxPollRecords  records per poll, and so per transaction
 * @param retryPolicy     retries around each {@code process} call, in place, before the partition stalls
 * @param concurrency     records processed at once
 * @param maxPollInterval the consumer's {@code max.poll.interval.ms}: the worst-case batch time,
 *                        {@code ceil(records / threads) x worst-case record time}, plus a margin
 * @param stall           how a record that outlives its in-place retries holds back its partition
 * @param names           the deployment's physical names: topics, group, transactional and client ids
 */
public record RunnerSettings(Map<String, Object> clientProps, String instanceId, int maxPollRecords,
                             RetryPolicy retryPolicy, int concurrency, Duration maxPollInterval,
                             RuntimeConfig.StallPolicy stall, Names names) {

    /** Headroom over the computed worst case, and the floor of {@code max.poll.interval.ms}. */
    static final Duration MARGIN = Duration.ofSeconds(60);

    public RunnerSettings {
        clientProps = Map.copyOf(clientProps);
        java.util.Objects.requireNonNull(names, "names");
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("max poll records must be >= 1, was " + maxPollRecords);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
        }
    }

    /** The settings of {@code def} in {@code env}, {@code max.poll.interval.ms} derived from its worst case. */
    public static RunnerSettings of(StageDefinition<?, ?, ?, ?> def, StageEnvironment env) {
        AbstractConfig c = env.config(def);
        int maxPoll = def.maxPollRecords(c);
        int threads = def.concurrency(c);
        return new RunnerSettings(env.clientProps(), env.instanceId(), maxPoll, def.retryPolicy(c), threads,
                maxPollInterval(maxPoll, threads, def.worstCaseRecordTime(c)),
                new RuntimeConfig(env.originals()).stallPolicy(), env.names());
    }

    /** {@code ceil(records / threads) x perRecord + MARGIN}, capped at Integer.MAX_VALUE ms. */
    public static Duration maxPollInterval(int records, int threads, Duration perRecord) {
        long rounds = (records + threads - 1) / threads;
        long ms = Math.min(Integer.MAX_VALUE, rounds * perRecord.toMillis() + MARGIN.toMillis());
        return Duration.ofMillis(ms);
    }
}
