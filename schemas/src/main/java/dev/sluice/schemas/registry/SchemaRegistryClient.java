package dev.sluice.schemas.registry;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API Sluice uses, so any registry speaking it
 * (Confluent, Apicurio under {@code /apis/ccompat/v7}, Karapace, Redpanda) serves. Subjects are
 * named by topic: {@code <topic>-value} and {@code <topic>-key}.
 */
public interface SchemaRegistryClient {

    /** Registers {@code schema} under {@code subject} (a no-op if it is there) and returns its id; an incompatible one fails. */
    int register(String subject, Schema schema);

    /** The id of {@code schema} if it is registered under {@code subject}. */
    OptionalInt lookup(String subject, Schema schema);

    /** The schema with this id; throws {@link UnknownSchemaIdException} if the registry has none. */
    Schema schemaById(int id);

    /** The latest version registered under {@code subject}, if any. */
    Optional<Schema> latest(String subject);

    /** Whether {@code schema} may be registered next under {@code subject} by the registry's compatibility rule. */
    Compatibility checkCompatibility(String subject, Schema schema);

    /** Every subject the registry holds. */
    List<String> subjects();

    /** The registry's verdict on a candidate schema, with its reason when refused. */
    record Compatibility(boolean compatible, String reason) {
    }

    /** Thrown when an id names no schema: the record was written against another registry, or is corrupt. */
    final class UnknownSchemaIdException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UnknownSchemaIdException(int id, String detail) {
            super("unknown schema id " + id + " (" + detail + ")");
        }
    }
}
