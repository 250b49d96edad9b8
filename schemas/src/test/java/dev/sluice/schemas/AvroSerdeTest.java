package dev.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.schemas.hn.HnItemId;
import dev.sluice.schemas.registry.InMemorySchemaRegistry;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistries;
import dev.sluice.schemas.registry.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Confluent wire format and the reasons an undecodable record is refused with. */
class AvroSerdeTest {
    private static final String TOPIC = "t";
    private InMemorySchemaRegistry registry;
    private final AvroSerde<HnItemId> serde = new AvroSerde<>(HnItemId.class);

    @BeforeEach
    void freshRegistry() {
        registry = new InMemorySchemaRegistry();
        SchemaRegistries.configure(registry, true, "test");
    }

    private byte[] write(long id) {
        return serde.serializer().serialize(TOPIC, new HnItemId(id, "watermark"));
    }

    private HnItemId read(byte[] bytes) {
        return serde.deserializer().deserialize(TOPIC, bytes);
    }

    @Test
    void shouldFrameRecordsWithMagicByteAndTheIdRegisteredUnderTheTopicValueSubject() {
        byte[] bytes = write(42);
        assertThat(bytes[0]).isZero();
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(registry.lookup("t-value", AvroSerde.registryForm(serde.schema()))).hasValue(id);
        assertThat(read(bytes).getId()).isEqualTo(42);
    }

    @Test
    void shouldReadRecordsWrittenWithAnOlderSchemaFillingTheNewFieldsDefault() {
        int v0 = registry.register("t-value", Evolutions.itemIdV0());
        byte[] old = WireFormat.encode(v0, Evolutions.itemIdV0(), Evolutions.record(Evolutions.itemIdV0(), 7));
        HnItemId read = read(old);
        assertThat(read.getId()).isEqualTo(7);
        assertThat(read.getSource()).isEqualTo("watermark");
    }

    @Test
    void shouldRefuseAWrongMagicByteNamingIt() {
        byte[] bytes = write(1);
        bytes[0] = 3;
        assertThatThrownBy(() -> read(bytes)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown magic byte 0x03");
    }

    @Test
    void shouldRefuseAnUnknownSchemaId() {
        byte[] bytes = write(1);
        ByteBuffer.wrap(bytes).putInt(1, 9999);
        assertThatThrownBy(() -> read(bytes)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown schema id 9999");
    }

    @Test
    void shouldRefuseACorruptOrTruncatedBody() {
        byte[] bytes = write(123_456_789L);
        assertThatThrownBy(() -> read(Arrays.copyOf(bytes, 7))).isInstanceOf(SerializationException.class)
                .hasMessageContaining("corrupt Avro body of dev.sluice.schemas.hn.HnItemId");
        assertThatThrownBy(() -> read(new byte[] {0, 0})).isInstanceOf(SerializationException.class)
                .hasMessageContaining("too short for the Confluent wire format");
    }

    @Test
    void shouldRefuseARecordWhoseWriterSchemaCannotBeReadNamingTheField() {
        int bad = registry.register("other-value", Evolutions.withIdAsString());
        byte[] bytes = WireFormat.encode(bad, Evolutions.withIdAsString(), Evolutions.record(Evolutions.withIdAsString(), 5));
        assertThatThrownBy(() -> read(bytes)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("writer schema id " + bad).hasMessageContaining("field 'id'");
    }

    @Test
    void shouldBlameTheRegistryNotTheRecordWhenTheRegistryIsUnreachable() throws Exception {
        byte[] bytes = write(1);
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        SchemaRegistries.configure(new RestSchemaRegistryClient("http://127.0.0.1:" + closedPort,
                java.time.Duration.ofSeconds(1), 2), true, "unreachable");
        assertThatThrownBy(() -> read(bytes)).isInstanceOf(SchemaRegistryException.class)
                .isNotInstanceOf(SerializationException.class).hasMessageContaining("unavailable");
    }

    @Test
    void shouldNotRegisterWhenAutoRegistrationIsOffAndSayHowTo() {
        SchemaRegistries.configure(registry, false, "test");
        assertThatThrownBy(() -> write(1)).isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("not registered under subject t-value").hasMessageContaining("schemas-check --register");
        registry.register("t-value", serde.schema());
        assertThat(read(write(1)).getId()).isEqualTo(1);
    }

    @Test
    void shouldRegisterAStateStoresChangelogSchemaEvenWhenAutoRegistrationIsOff() {
        SchemaRegistries.configure(registry, false, "test");
        String changelog = "sluice-threads-thread-store-changelog";
        assertThat(AvroSerde.forStore(HnItemId.class).serializer().serialize(changelog, new HnItemId(1L, "w"))[0]).isZero();
        assertThat(registry.lookup(changelog + "-value", AvroSerde.registryForm(serde.schema()))).isPresent();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AvroSerde<>(HnItemId.class).serializer()
                        .serialize("not-registered", new HnItemId(1L, "w")))
                .hasMessageContaining("is not registered under subject not-registered-value");
    }
}
