package dev.sluice.sinks.postgres;

import dev.sluice.stage.Names;
import java.time.Duration;
import java.util.Map;

/**
 * How a sink connects and batches.
 *
 * @param clientProps      Kafka client properties (bootstrap servers, security)
 * @param jdbcUrl          PostgreSQL JDBC URL
 * @param instanceId       this process's id, for client ids
 * @param maxPollRecords   records per poll, and so per database transaction
 * @param maxRetryElapsed  how long a retriable database error (lost connection, deadlock) is
 *                         retried before the sink gives up and the process exits
 * @param names            the deployment's physical names: the topic, dead-letter topic, group and client ids
 */
public record SinkSettings(Map<String, Object> clientProps, String jdbcUrl, String instanceId, int maxPollRecords,
                           Duration maxRetryElapsed, Names names) {
    public SinkSettings {
        clientProps = Map.copyOf(clientProps);
        java.util.Objects.requireNonNull(names, "names");
    }
}
