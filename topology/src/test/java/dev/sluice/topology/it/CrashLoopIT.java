package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.runtime.DeadLetters;
import dev.sluice.runtime.ProcessCrashException;
import dev.sluice.topology.plugin.CrashStage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record that kills the process each time it is processed (a JVM halt standing in for a native
 * crash) ends as one dead letter after a few restarts, as a Kubernetes restart loop would bring them;
 * every other record of its partition is written exactly once, in order around it.
 */
@Tag("long")
class CrashLoopIT {
    private static final int RECORDS = 30;
    private static final int POISON_AT = 12;
    private static ItEnv env;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        env = ItEnv.start("crash-loop");
        try (Admin admin = Admin.create(new HashMap<>(env.clientProps()))) {
            admin.createTopics(List.of(new NewTopic(CrashStage.IN, 1, (short) 1), new NewTopic(CrashStage.OUT, 1, (short) 1),
                    new NewTopic(CrashStage.IN + ".dlq", 1, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    @Test
    void shouldDeadLetterARecordThatKillsTheProcessRepeatedlyAndWriteEveryOtherOnce() throws Exception {
        produce();
        Path jar = PluginJars.pack(tmp.resolve("crash-stage.jar"), CrashStage.class);
        List<String> args = List.of("run", "--stages", CrashStage.NAME, "--bootstrap-servers", env.bootstrapServers(),
                "--data-dir", env.dir("data").toString(), "--instance-id", "crash-loop", "--set", "metrics.port=0");
        int restarts = 0;
        long t0 = System.nanoTime();
        long deadline = t0 + 240_000_000_000L;
        SluiceProcess p = SluiceProcess.start(tmp.resolve("sluice.log"), args, List.of(jar));
        try {
            while (!done() && restarts <= 10 && System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    restarts++; // as the kubelet restarts a crashed container
                    System.out.printf("CrashLoopIT: restart %d after %d s%n", restarts, (System.nanoTime() - t0) / 1_000_000_000L);
                    p = SluiceProcess.start(tmp.resolve("sluice.log"), args, List.of(jar));
                }
                Thread.sleep(500);
            }
            assertThat(done()).as("outputs and dead letter after %d restarts; log:\n%s", restarts, p.tail()).isTrue();
        } finally {
            p.close();
        }
        List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.readAll(env.clientProps(), CrashStage.IN + ".dlq");
        assertThat(dead).singleElement().satisfies(r -> {
            assertThat(text(r.value())).isEqualTo(CrashStage.POISON);
            assertThat(header(r, DeadLetters.CLASS)).isEqualTo(ProcessCrashException.class.getName());
            assertThat(header(r, DeadLetters.OFFSET)).isEqualTo(Integer.toString(POISON_AT));
            assertThat(header(r, DeadLetters.MESSAGE)).contains("3 times in a row");
        });
        assertThat(outputs()).containsExactlyElementsOf(expectedOutputs());
        assertThat(restarts).isBetween(3, 6);
    }

    private static boolean done() {
        return outputs().size() >= RECORDS - 1
                && !TopicReader.readAll(env.clientProps(), CrashStage.IN + ".dlq").isEmpty();
    }

    private static List<String> outputs() {
        return TopicReader.readAll(env.clientProps(), CrashStage.OUT).stream().map(r -> text(r.value())).toList();
    }

    private static List<String> values() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            values.add(i == POISON_AT ? CrashStage.POISON : String.format("v%02d", i));
        }
        return values;
    }

    private static List<String> expectedOutputs() {
        return values().stream().filter(v -> !v.equals(CrashStage.POISON)).map(v -> v.toUpperCase()).toList();
    }

    private static void produce() {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(new HashMap<>(env.clientProps()),
                new StringSerializer(), new StringSerializer())) {
            values().forEach(v -> Sends.confirmed(producer, new ProducerRecord<>(CrashStage.IN, 0, "k", v)));
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return text(r.headers().lastHeader(name).value());
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
