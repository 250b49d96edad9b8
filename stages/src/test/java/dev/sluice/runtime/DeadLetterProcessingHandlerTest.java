package dev.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** A Streams processor's unhandled exception dead-letters the record and the task goes on. */
class DeadLetterProcessingHandlerTest {

    @Test
    void shouldDeadLetterTheRecordAProcessorThrowsOnAndProcessTheNext() {
        StreamsBuilder b = new StreamsBuilder();
        b.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(v -> {
                    if (v.equals("bug")) {
                        throw new IllegalStateException("unforeseen input " + v);
                    }
                    return v.toUpperCase();
                }, Named.as("upper"))
                .to("out", Produced.with(Serdes.String(), Serdes.String()));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "handler-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        p.put(DeadLetterProcessingHandler.STAGE_CONFIG, "upper");
        p.put(DeadLetterProcessingHandler.TOPIC_CONFIG, "in.dlq");
        try (TopologyTestDriver driver = new TopologyTestDriver(b.build(), p)) {
            TestInputTopic<String, String> in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
            TestOutputTopic<String, String> out = driver.createOutputTopic("out", new StringDeserializer(), new StringDeserializer());
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic("in.dlq",
                    Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
            in.pipeInput("k1", "a");
            in.pipeInput("k2", "bug");
            in.pipeInput("k3", "b");
            assertThat(out.readValuesToList()).containsExactly("A", "B");
            TestRecord<byte[], byte[]> dead = dlq.readRecord();
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("bug");
            assertThat(header(dead, DeadLetters.STAGE)).isEqualTo("upper");
            assertThat(header(dead, DeadLetters.TOPIC)).isEqualTo("in");
            assertThat(header(dead, DeadLetters.OFFSET)).isEqualTo("1");
            assertThat(header(dead, DeadLetters.CLASS)).isEqualTo(IllegalStateException.class.getName());
            assertThat(header(dead, DeadLetters.MESSAGE)).isEqualTo("unforeseen input bug");
            assertThat(dlq.isEmpty()).isTrue();
        }
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
