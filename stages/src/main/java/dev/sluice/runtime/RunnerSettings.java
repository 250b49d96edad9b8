package dev.sluice.runtime;

import java.util.Map;

/**
 * How a stage runner connects and batches.
 *
 * @param clientProps    Kafka client properties shared by all clients (bootstrap servers, security)
 * @param instanceId     stable id of this process (pod name); part of the transactional id, so a
 *                       restarted instance fences its predecessor and aborts its open transaction at once
 * @param maxPollRecords records per poll, and so per transaction
 * @param retryPolicy    retries around each {@code process} call
 */
public record RunnerSettings(Map<String, Object> clientProps, String instanceId, int maxPollRecords,
                             RetryPolicy retryPolicy) {

    public RunnerSettings {
        clientProps = Map.copyOf(clientProps);
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("max poll records must be >= 1, was " + maxPollRecords);
        }
    }
}
