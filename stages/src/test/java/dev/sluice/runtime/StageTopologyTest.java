package dev.sluice.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.hn.HnMaxItem;
import dev.sluice.stage.Output;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import dev.sluice.stage.Stage;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageTopologyTest {
    private static final String IN = "words";
    private static final String OUT = "shouted";
    private static final String DLQ = IN + ".dlq";
    /** No waiting between attempts, three attempts. */
    private static final RetryPolicy POLICY = new RetryPolicy(Duration.ZERO, Duration.ZERO, 3, Duration.ofMinutes(1));

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void shouldWriteTheStageOutputToTheOutputTopic() {
        Topics t = upperCaseTopology();

        t.in.pipeInput("k1", "hello");

        assertThat(t.out.readKeyValuesToList()).containsExactly(KeyValue.pair("k1", "HELLO"));
        assertThat(t.dlq.isEmpty()).isTrue();
    }

    @Test
    void shouldWriteEveryRecordTheStageEmitsInOrder() {
        Topics t = upperCaseTopology();

        t.in.pipeInput("k2", "twice");

        assertThat(t.out.readKeyValuesToList())
                .containsExactly(KeyValue.pair("k2", "TWICE-1"), KeyValue.pair("k2", "TWICE-2"));
    }

    @Test
    void shouldDeadLetterAPoisonRecordWithHeadersAndKeepProcessingTheNextOne() {
        Topics t = upperCaseTopology();
        Headers original = new RecordHeaders().add("trace-id", "t-1".getBytes(UTF_8));

        t.in.pipeInput(new TestRecord<>("k3", "bad", original, Instant.ofEpochMilli(1_000)));
        t.in.pipeInput("k4", "next");

        List<TestRecord<byte[], byte[]>> dead = t.dlq.readRecordsToList();
        assertThat(dead).hasSize(1);
        TestRecord<byte[], byte[]> d = dead.get(0);
        assertThat(new String(d.key(), UTF_8)).isEqualTo("k3");
        assertThat(new String(d.value(), UTF_8)).isEqualTo("bad");
        Headers h = d.headers();
        assertThat(DeadLetters.header(h, DeadLetters.TOPIC)).isEqualTo(IN);
        assertThat(DeadLetters.header(h, DeadLetters.PARTITION)).isEqualTo("0");
        assertThat(DeadLetters.header(h, DeadLetters.OFFSET)).isEqualTo("0");
        assertThat(DeadLetters.header(h, DeadLetters.STAGE)).isEqualTo("shout");
        assertThat(DeadLetters.header(h, DeadLetters.CLASS)).isEqualTo(PermanentStageException.class.getName());
        assertThat(DeadLetters.header(h, DeadLetters.MESSAGE)).isEqualTo("refusing 'bad'");
        assertThat(DeadLetters.header(h, DeadLetters.ATTEMPTS)).isEqualTo("1");
        assertThat(DeadLetters.header(h, DeadLetters.RETRIABLE)).isEqualTo("false");
        assertThat(DeadLetters.header(h, "trace-id")).isEqualTo("t-1");
        assertThat(t.out.readKeyValuesToList()).containsExactly(KeyValue.pair("k4", "NEXT"));
    }

    @Test
    void shouldDeadLetterARetriableFailureOnceRetriesAreExhausted() {
        Topics t = upperCaseTopology();

        t.in.pipeInput("k5", "flaky");
        t.in.pipeInput("k6", "after");

        TestRecord<byte[], byte[]> d = t.dlq.readRecord();
        assertThat(DeadLetters.header(d.headers(), DeadLetters.ATTEMPTS)).isEqualTo("3");
        assertThat(DeadLetters.header(d.headers(), DeadLetters.RETRIABLE)).isEqualTo("true");
        assertThat(DeadLetters.header(d.headers(), DeadLetters.OFFSET)).isEqualTo("0");
        assertThat(t.dlq.isEmpty()).isTrue();
        assertThat(t.out.readKeyValuesToList()).containsExactly(KeyValue.pair("k6", "AFTER"));
    }

    @Test
    void shouldDeadLetterUndeserializableBytesWithoutCallingTheStage() {
        AtomicInteger calls = new AtomicInteger();
        StageDefinition<String, HnMaxItem, String, String> def = StageDefinition.<String, HnMaxItem, String, String>builder("avro-in")
                .input("observations", Serdes.String(), new AvroSerde<>(HnMaxItem.class))
                .output("described", Serdes.String(), Serdes.String())
                .stage(() -> (record, out) -> {
                    calls.incrementAndGet();
                    out.emit(record.key(), "max " + record.value().getMaxitem());
                })
                .build();
        driver = new TopologyTestDriver(StageTopology.build(def, POLICY, "test", Map.of()), props());
        TestInputTopic<String, byte[]> raw =
                driver.createInputTopic("observations", new StringSerializer(), new ByteArraySerializer());
        TestInputTopic<String, HnMaxItem> good =
                driver.createInputTopic("observations", new StringSerializer(), new AvroSerde<>(HnMaxItem.class).serializer());
        TestOutputTopic<byte[], byte[]> dlq =
                driver.createOutputTopic("observations.dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TestOutputTopic<String, String> out =
                driver.createOutputTopic("described", new StringDeserializer(), new StringDeserializer());
        byte[] garbage = "this is not avro at all".getBytes(UTF_8);

        raw.pipeInput("hn", garbage);
        good.pipeInput("hn", new HnMaxItem(25_578_999L, Instant.ofEpochMilli(0)));

        TestRecord<byte[], byte[]> d = dlq.readRecord();
        assertThat(d.value()).containsExactly(garbage);
        assertThat(DeadLetters.header(d.headers(), DeadLetters.MESSAGE)).startsWith("cannot deserialize");
        assertThat(DeadLetters.header(d.headers(), DeadLetters.CLASS)).isEqualTo(PermanentStageException.class.getName());
        assertThat(DeadLetters.header(d.headers(), DeadLetters.STAGE)).isEqualTo("avro-in");
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(out.readKeyValuesToList()).containsExactly(KeyValue.pair("hn", "max 25578999"));
        assertThat(calls).hasValue(1);
    }

    @Test
    void shouldNameTheNodesAfterTheStage() {
        String description = StageTopology.build(upperCase(), POLICY, "test", Map.of()).describe().toString();

        assertThat(description).contains("shout-source", "shout-process", "shout-sink", "shout-dlq", IN, OUT, DLQ);
    }

    private Topics upperCaseTopology() {
        Topology topology = StageTopology.build(upperCase(), POLICY, "test", Map.of());
        driver = new TopologyTestDriver(topology, props());
        return new Topics(
                driver.createInputTopic(IN, new StringSerializer(), new StringSerializer()),
                driver.createOutputTopic(OUT, new StringDeserializer(), new StringDeserializer()),
                driver.createOutputTopic(DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    }

    private static StageDefinition<String, String, String, String> upperCase() {
        return StageDefinition.<String, String, String, String>builder("shout")
                .input(IN, Serdes.String(), Serdes.String())
                .output(OUT, Serdes.String(), Serdes.String())
                .stage(UpperCaseStage::new)
                .build();
    }

    private Properties props() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "stage-topology-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return p;
    }

    private record Topics(TestInputTopic<String, String> in, TestOutputTopic<String, String> out,
                          TestOutputTopic<byte[], byte[]> dlq) {
    }

    /** Upper-cases values; refuses "bad", always fails "flaky", emits two records for "twice". */
    private static final class UpperCaseStage implements Stage<String, String, String, String> {
        @Override
        public void process(StageRecord<String, String> record, Output<String, String> out) throws Exception {
            switch (record.value()) {
                case "bad" -> throw new PermanentStageException("refusing 'bad'");
                case "flaky" -> {
                    out.emit(record.key(), "must not leak");
                    throw new RetriableStageException("try later");
                }
                case "twice" -> {
                    out.emit(record.key(), "TWICE-1");
                    out.emit(record.key(), "TWICE-2");
                }
                default -> out.emit(record.key(), record.value().toUpperCase(Locale.ROOT));
            }
        }
    }
}
