package dev.sluice.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.schemas.registry.SchemaRegistries;
import dev.sluice.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for a generated Avro record class in the Confluent wire format: magic byte 0, the 4-byte
 * big-endian schema id, then the Avro binary body. The schema lives in the process-wide registry
 * ({@link SchemaRegistries}) under the subject {@code <topic>-value} ({@code <topic>-key} once
 * {@link #configure configured} as a key serde), in its {@link #registryForm registry form}: the form of
 * its {@code .avsc}, which is what {@code sluice schemas-check --register} publishes. Ids are cached per
 * subject and writer schemas per id.
 *
 * <p>Bytes that do not decode — wrong magic byte, unknown schema id, a writer schema this class cannot
 * read, corrupt or truncated Avro — raise {@link SerializationException} with the reason, which the
 * stage runtime turns into a dead-letter record. A registry that cannot be reached raises
 * {@link SchemaRegistryException} instead: the record is not at fault.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Class<T> type;
    private final Schema schema;
    private final Schema registered;
    private final Map<String, Integer> idBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, WireFormat.Reader<T>> readerById = new ConcurrentHashMap<>();
    private volatile SchemaRegistries.Registry registry;
    private volatile boolean isKey;
    private final boolean ownsSubjects;

    public AvroSerde(Class<T> type) {
        this(type, false);
    }

    private AvroSerde(Class<T> type, boolean ownsSubjects) {
        this.type = type;
        this.schema = SpecificData.get().getSchema(type);
        this.registered = registryForm(schema);
        this.ownsSubjects = ownsSubjects;
    }

    /**
     * A serde for a Kafka Streams state store: its changelog topic ({@code <application>-<store>-changelog})
     * is internal to the stage that owns the store, so the stage registers its schema there on first
     * use even when {@code schema.registry.auto.register} is off for the pipeline's own topics.
     */
    public static <T extends SpecificRecord> AvroSerde<T> forStore(Class<T> type) {
        return new AvroSerde<>(type, true);
    }

    /**
     * {@code schema} without the Java-only {@code avro.java.string} properties the code generator adds:
     * the schema as its {@code .avsc} states it. Registries compare schema text, so a generated class's
     * schema would not match the one registered from the {@code .avsc}.
     */
    public static Schema registryForm(Schema schema) {
        try {
            JsonNode tree = JSON.readTree(schema.toString());
            stripJavaProperties(tree);
            return new Schema.Parser().parse(tree.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stripJavaProperties(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.remove("avro.java.string");
        }
        node.forEach(AvroSerde::stripJavaProperties);
    }

    public Schema schema() {
        return schema;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
    }

    /** The subject of this serde's records on {@code topic}. */
    public String subject(String topic) {
        return topic + (isKey ? "-key" : "-value");
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : WireFormat.encode(idFor(subject(topic)), schema, value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decodeOrExplain(topic, bytes);
    }

    /** Every reason starts "cannot decode {record} from {n} bytes on topic {t}: " (dead letters are grepped for it). */
    private T decodeOrExplain(String topic, byte[] bytes) {
        try {
            return decode(topic, bytes);
        } catch (SerializationException e) {
            throw new SerializationException("cannot decode " + schema.getFullName() + " from " + bytes.length
                    + " bytes on topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private T decode(String topic, byte[] bytes) {
        SchemaRegistries.Registry r = registry();
        int id = WireFormat.schemaId(bytes, topic);
        WireFormat.Reader<T> reader = readerById.get(id);
        if (reader == null) {
            reader = WireFormat.Reader.of(id, r.client(), schema, type);
            readerById.put(id, reader);
        }
        return reader.read(bytes, topic);
    }

    private int idFor(String subject) {
        SchemaRegistries.Registry r = registry();
        Integer id = idBySubject.get(subject);
        if (id == null) {
            id = r.autoRegister() || ownsSubjects ? r.client().register(subject, registered) : lookup(r, subject)
                    .orElseThrow(() -> new SchemaRegistryException("the schema of " + schema.getFullName()
                            + " is not registered under subject " + subject + " in " + r.description()
                            + ": register it with `sluice schemas-check --register`, or set schema.registry.auto.register=true"));
            idBySubject.put(subject, id);
        }
        return id;
    }

    /** The registry form, or the generated form that producers of earlier versions registered. */
    private OptionalInt lookup(SchemaRegistries.Registry r, String subject) {
        OptionalInt id = r.client().lookup(subject, registered);
        return id.isPresent() ? id : r.client().lookup(subject, schema);
    }

    /** The process-wide registry; caches are dropped when the process switches registries (tests do). */
    private SchemaRegistries.Registry registry() {
        SchemaRegistries.Registry r = SchemaRegistries.require();
        if (r != registry) {
            idBySubject.clear();
            readerById.clear();
            registry = r;
        }
        return r;
    }
}
