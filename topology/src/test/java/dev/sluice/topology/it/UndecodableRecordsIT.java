package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.runtime.DeadLetters;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.WireFormat;
import dev.sluice.schemas.hn.HnItem;
import dev.sluice.schemas.hn.HnLink;
import dev.sluice.schemas.registry.SchemaRegistries;
import dev.sluice.stages.hn.HnTopics;
import dev.sluice.stages.hn.LinkStage;
import dev.sluice.topology.SluiceConfig;
import dev.sluice.topology.TopicBootstrap;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Records on sluice.hn.items that cannot be deserialized against the real registry — wrong magic byte,
 * unknown schema id, corrupt body, a writer schema the stage cannot read — are dead-lettered with the
 * reason, and the good records around them still flow.
 */
class UndecodableRecordsIT {
    private static final long GOOD_BEFORE = 1, WRONG_MAGIC = 2, UNKNOWN_ID = 3, CORRUPT = 4, INCOMPATIBLE = 5, GOOD_AFTER = 6;
    private static ItEnv env;

    @BeforeAll
    static void run() throws Exception {
        env = ItEnv.start("undecodable");
        try (Admin admin = Admin.create(new HashMap<>(env.clientProps()))) {
            TopicBootstrap.ensure(admin, HnTopics.all(), 1, (short) -1);
        }
        byte[] good = new AvroSerde<>(HnItem.class).serializer().serialize(HnTopics.ITEMS, story(GOOD_BEFORE));
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(env.clientProps(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            send(p, GOOD_BEFORE, good);
            byte[] magic = good.clone();
            magic[0] = 7;
            send(p, WRONG_MAGIC, magic);
            byte[] unknown = good.clone();
            ByteBuffer.wrap(unknown).putInt(1, 987_654);
            send(p, UNKNOWN_ID, unknown);
            send(p, CORRUPT, Arrays.copyOf(good, 9));
            send(p, INCOMPATIBLE, incompatible());
            send(p, GOOD_AFTER, new AvroSerde<>(HnItem.class).serializer().serialize(HnTopics.ITEMS, story(GOOD_AFTER)));
        }
        PipelineRun.on(env, env.dir("data"), "http://127.0.0.1:9").set(SluiceConfig.STAGES_CONFIG, LinkStage.NAME)
                .set(SluiceConfig.PARTITIONS_CONFIG, 1).runUntilIdle(Duration.ofMinutes(2));
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    @Test
    void shouldDeadLetterEachUndecodableRecordWithItsReason() {
        Map<Long, String> reasons = TopicReader.readAll(env.clientProps(), HnTopics.dlq(HnTopics.ITEMS)).stream()
                .collect(Collectors.toMap(r -> ByteBuffer.wrap(r.key()).getLong(),
                        r -> DeadLetters.header(r.headers(), DeadLetters.MESSAGE)));
        assertThat(reasons).containsOnlyKeys(WRONG_MAGIC, UNKNOWN_ID, CORRUPT, INCOMPATIBLE);
        assertThat(reasons.get(WRONG_MAGIC)).contains("unknown magic byte 0x07");
        assertThat(reasons.get(UNKNOWN_ID)).contains("unknown schema id 987654");
        assertThat(reasons.get(CORRUPT)).contains("corrupt Avro body of dev.sluice.schemas.hn.HnItem");
        assertThat(reasons.get(INCOMPATIBLE)).contains("cannot be read as dev.sluice.schemas.hn.HnItem").contains("field 'id'");
    }

    @Test
    void shouldKeepProcessingTheGoodRecordsAroundThem() {
        assertThat(TopicReader.readAll(env.clientProps(), HnTopics.LINKS, new LongDeserializer(),
                new AvroSerde<>(HnLink.class).deserializer()).stream().map(ConsumerRecord::key))
                .containsExactly(GOOD_BEFORE, GOOD_AFTER);
    }

    private static void send(KafkaProducer<byte[], byte[]> p, long key, byte[] value) {
        Sends.confirmed(p, new ProducerRecord<>(HnTopics.ITEMS, ByteBuffer.allocate(8).putLong(key).array(), value));
    }

    private static HnItem story(long id) {
        return HnItem.newBuilder().setId(id).setType("story").setTitle("t" + id).setUrl("https://example.org/" + id)
                .setFetchedAt(Instant.ofEpochMilli(1_700_000_000_000L)).setRawJson("{}").build();
    }

    /** An HnItem whose id is a string, registered under another subject: a writer schema HnItem cannot read. */
    private static byte[] incompatible() {
        Schema writer = SchemaBuilder.record("HnItem").namespace("dev.sluice.schemas.hn").fields().requiredString("id")
                .endRecord();
        int id = SchemaRegistries.require().client().register("undecodable-probe-value", writer);
        GenericData.Record r = new GenericData.Record(writer);
        r.put("id", "five");
        return WireFormat.encode(id, writer, r);
    }
}
