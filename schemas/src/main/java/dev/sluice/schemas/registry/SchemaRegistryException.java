package dev.sluice.schemas.registry;

import org.apache.kafka.common.KafkaException;

/**
 * The registry is unreachable or answered an unexpected error. Not a {@code SerializationException}:
 * the record itself may be fine, the registry is what failed.
 */
public class SchemaRegistryException extends KafkaException {
    private static final long serialVersionUID = 1L;

    public SchemaRegistryException(String message) {
        super(message);
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
