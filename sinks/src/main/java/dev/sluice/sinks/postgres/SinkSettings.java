package dev.sluice.sinks.postgres;

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
 */
public record SinkSettings(Map<String, Object> clientProps, String jdbcUrl, String instanceId, int maxPollRecords,
                           Duration maxRetryElapsed) {
    public SinkSettings {
        clientProps = Map.copyOf(clientProps);
    }
}
