package dev.sluice.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for a generated Avro record class: Avro binary encoding of the class's own schema.
 * Bytes that do not decode (corrupt, truncated, another type) raise {@link SerializationException},
 * which the stage runtime turns into a dead-letter record.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;

    public AvroSerde(Class<T> type) {
        this.schema = SpecificData.get().getSchema(type);
        this.writer = new SpecificDatumWriter<>(schema);
        this.reader = new SpecificDatumReader<>(schema);
    }

    public Schema schema() {
        return schema;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : encode(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(topic, bytes);
    }

    private byte[] encode(T value) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(value, enc);
            enc.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + schema.getFullName() + ": " + e.getMessage(), e);
        }
    }

    private T decode(String topic, byte[] bytes) {
        try {
            BinaryDecoder dec = DecoderFactory.get().binaryDecoder(bytes, null);
            T value = reader.read(null, dec);
            if (!dec.isEnd()) {
                throw new IOException((bytes.length) + " bytes hold more than one " + schema.getName());
            }
            return value;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode " + schema.getFullName() + " from " + bytes.length
                    + " bytes on topic " + topic + ": " + e.getMessage(), e);
        }
    }
}
