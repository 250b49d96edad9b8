package dev.sluice.schemas;

import dev.sluice.schemas.registry.BackwardCompatibility;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/** The Confluent wire format: {@code 0x00}, a 4-byte big-endian schema id, the Avro binary body. */
public final class WireFormat {
    public static final byte MAGIC = 0;
    public static final int HEADER = 5;

    private WireFormat() {
    }

    /** Frames {@code value}, written with {@code schema}, under schema id {@code id}. */
    public static <T> byte[] encode(int id, Schema schema, T value) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            out.write(MAGIC);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
            new SpecificDatumWriter<T>(schema).write(value, enc);
            enc.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + schema.getFullName() + ": " + e.getMessage(), e);
        }
    }

    /** The schema id of a framed record; wrong magic bytes and short records fail with the reason. */
    public static int schemaId(byte[] bytes, String topic) {
        if (bytes.length < HEADER) {
            throw new SerializationException(bytes.length + " bytes on topic " + topic + " are too short for the"
                    + " Confluent wire format (magic byte 0, 4-byte schema id, Avro body)");
        }
        if (bytes[0] != MAGIC) {
            throw new SerializationException(String.format("unknown magic byte 0x%02x on topic %s: not the Confluent"
                    + " wire format, which starts with 0x00", bytes[0], topic));
        }
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }

    /** Reads bodies written with one writer schema (by id) into the generated class. */
    static final class Reader<T extends SpecificRecord> {
        private final int id;
        private final Schema writer;
        private final SpecificDatumReader<T> datumReader;

        private Reader(int id, Schema writer, Schema reader) {
            this.id = id;
            this.writer = writer;
            this.datumReader = new SpecificDatumReader<>(writer, reader);
        }

        /** Fetches writer schema {@code id} and checks that {@code reader} can read it. */
        static <T extends SpecificRecord> Reader<T> of(int id, SchemaRegistryClient registry, Schema reader, Class<T> type) {
            Schema writer;
            try {
                writer = registry.schemaById(id);
            } catch (SchemaRegistryClient.UnknownSchemaIdException e) {
                throw new SerializationException(e.getMessage(), e);
            }
            List<BackwardCompatibility.Violation> v = BackwardCompatibility.violations(reader, writer);
            if (!v.isEmpty()) {
                throw new SerializationException("writer schema id " + id + " (" + writer.getFullName() + ") cannot be"
                        + " read as " + reader.getFullName() + ": " + v);
            }
            return new Reader<>(id, writer, reader);
        }

        T read(byte[] bytes, String topic) {
            try {
                BinaryDecoder dec = DecoderFactory.get().binaryDecoder(bytes, HEADER, bytes.length - HEADER, null);
                T value = datumReader.read(null, dec);
                if (!dec.isEnd()) {
                    throw new IOException("trailing bytes after one " + writer.getName());
                }
                return value;
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("corrupt Avro body of " + writer.getFullName() + " (schema id " + id
                        + ", " + bytes.length + " bytes) on topic " + topic + ": " + e, e);
            }
        }
    }
}
