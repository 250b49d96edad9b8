package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stage.Names;
import dev.sluice.runtime.DeadLetters;
import dev.sluice.stages.hn.HnTopics;
import dev.sluice.topology.DeadLetterRedrive;
import dev.sluice.topology.RedriveRecords;
import dev.sluice.topology.RedriveResult;
import dev.sluice.topology.StageCatalog;
import dev.sluice.topology.TopicBootstrap;
import dev.sluice.topology.cli.SluiceCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice dlq redrive} on a real broker: only the stage's dead letters whose reason matches
 * move, with their key, value and headers; a dead letter moves once across runs, dry runs and
 * crashes (counted on the input topic with read_committed). Each test uses its own stage's topics.
 */
class DeadLetterRedriveIT {
    private static ItEnv env;

    @BeforeAll
    static void start() throws Exception {
        env = ItEnv.start("redrive");
        try (Admin admin = Admin.create(env.clientProps())) {
            TopicBootstrap.ensure(admin, List.of(HnTopics.MAXITEM, HnTopics.ITEM_IDS, HnTopics.ITEMS, HnTopics.LINKS,
                    HnTopics.dlq(HnTopics.MAXITEM), HnTopics.dlq(HnTopics.ITEM_IDS), HnTopics.dlq(HnTopics.ITEMS),
                    HnTopics.dlq(HnTopics.LINKS)), 3, (short) -1);
        }
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    @Test
    void shouldMoveOnlyTheStagesDeadLettersWhoseReasonMatchesAndEachOnlyOnce() throws Exception {
        String dlq = StageCatalog.entry("links").deadLetterTopic();
        assertThat(StageCatalog.entry("store").deadLetterTopic()).as("two stages share the topic").isEqualTo(dlq);
        writeDeadLetters(dlq, HnTopics.ITEMS, "links", 0, 3, new IOException("truncated body"));
        writeDeadLetters(dlq, HnTopics.ITEMS, "links", 3, 2, new IllegalStateException("HTTP 404 for item"));
        writeDeadLetters(dlq, HnTopics.ITEMS, "store", 5, 2, new IOException("truncated body"));

        String out = cli("dlq", "redrive", "--stage", "links", "--reason", "trunc.*body");
        assertThat(out).contains("redrive links: moved 3, skipped 0 (already redriven), 2 (other stage), 2 (reason did not match)");
        assertThat(out.lines().filter(l -> l.startsWith("moved " + dlq + ":")))
                .hasSize(3).allMatch(l -> l.endsWith(" -> " + HnTopics.ITEMS + " (IOException: truncated body)"));
        List<ConsumerRecord<byte[], byte[]>> moved = TopicReader.readAll(env.clientProps(), HnTopics.ITEMS);
        assertThat(moved).extracting(r -> text(r.value())).containsExactlyInAnyOrder("value-0", "value-1", "value-2");
        for (ConsumerRecord<byte[], byte[]> r : moved) {
            String n = text(r.value()).substring("value-".length());
            assertThat(text(r.key())).isEqualTo("key-" + n);
            assertThat(DeadLetters.header(r.headers(), "trace")).isEqualTo("trace-" + n);
            assertThat(DeadLetters.header(r.headers(), RedriveRecords.COUNT)).isEqualTo("1");
            assertThat(DeadLetters.header(r.headers(), RedriveRecords.FROM)).matches(Pattern.quote(dlq) + ":[0-2]:\\d+");
            assertThat(r.headers()).noneMatch(h -> h.key().startsWith(DeadLetters.PREFIX));
        }

        assertThat(cli("dlq", "redrive", "--stage", "links", "--reason", "truncated"))
                .contains("redrive links: moved 0, skipped 3 (already redriven), 2 (other stage), 2 (reason did not match)");
        assertThat(cli("dlq", "redrive", "--stage", "links"))
                .as("a run with another reason moves the rest, not the ones already moved")
                .contains("redrive links: moved 2, skipped 3 (already redriven), 2 (other stage), 0 (reason did not match)");
        assertThat(cli("dlq", "redrive", "--stage", "links")).contains("redrive links: moved 0, skipped 5 (already redriven)");
        assertThat(TopicReader.readAll(env.clientProps(), HnTopics.ITEMS)).extracting(r -> text(r.value()))
                .containsExactlyInAnyOrder("value-0", "value-1", "value-2", "value-3", "value-4");
    }

    @Test
    void shouldMoveNothingOnADryRun() throws Exception {
        String dlq = StageCatalog.entry("pdf-links").deadLetterTopic();
        writeDeadLetters(dlq, HnTopics.LINKS, "pdf-links", 0, 2, new IllegalArgumentException("not a PDF"));

        String out = cli("dlq", "redrive", "--stage", "pdf-links", "--dry-run");
        assertThat(out.lines().filter(l -> l.startsWith("would move " + dlq + ":"))).hasSize(2);
        assertThat(out).contains("redrive pdf-links (dry run): would move 2, skipped 0 (already redriven)");
        assertThat(TopicReader.readAll(env.clientProps(), HnTopics.LINKS)).isEmpty();
        try (Admin admin = Admin.create(env.clientProps())) {
            assertThat(admin.listTopics().names().get()).as("a dry run creates no marker topic").doesNotContain(dlq + ".redriven");
        }

        assertThat(cli("dlq", "redrive", "--stage", "pdf-links")).contains("redrive pdf-links: moved 2,");
        assertThat(TopicReader.readAll(env.clientProps(), HnTopics.LINKS)).hasSize(2);
    }

    @Test
    void shouldMoveEachDeadLetterOnceWhenARunFailsBetweenBatchesAndIsRunAgain() throws Exception {
        String dlq = StageCatalog.entry("fetch").deadLetterTopic();
        writeDeadLetters(dlq, HnTopics.ITEM_IDS, "fetch", 0, 25, new IOException("truncated body"));

        DeadLetterRedrive crashing = new DeadLetterRedrive(env.clientProps(), Names.DEFAULT, "fetch", null, 10, (short) -1)
                .beforeCommit(batch -> {
                    if (batch == 2) {
                        throw new IllegalStateException("killed before the second commit");
                    }
                });
        assertThatThrownBy(() -> crashing.run(false)).hasMessageContaining("killed before the second commit");
        assertThat(TopicReader.readAll(env.clientProps(), HnTopics.ITEM_IDS)).as("the first batch only").hasSize(10);

        RedriveResult rerun = new DeadLetterRedrive(env.clientProps(), Names.DEFAULT, "fetch", null, 10, (short) -1).run(false);
        assertThat(rerun.moved()).hasSize(15);
        assertThat(rerun.alreadyRedriven()).isEqualTo(10);
        assertMovedOnceEach(HnTopics.ITEM_IDS, 25);
    }

    @Test
    void shouldFenceARunStuckInATransactionAndMoveEachDeadLetterOnce() throws Exception {
        String dlq = StageCatalog.entry("watermark").deadLetterTopic();
        writeDeadLetters(dlq, HnTopics.MAXITEM, "watermark", 0, 4, new IllegalArgumentException("not a number"));
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DeadLetterRedrive zombie = new DeadLetterRedrive(env.clientProps(), Names.DEFAULT, "watermark", null, 2, (short) -1)
                .beforeCommit(batch -> {
                    stuck.countDown();
                    awaitQuietly(release);
                });
        CompletableFuture<RedriveResult> first = CompletableFuture.supplyAsync(() -> {
            try {
                return zombie.run(false);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(stuck.await(60, TimeUnit.SECONDS)).as("first run sent its first batch").isTrue();

        RedriveResult second = new DeadLetterRedrive(env.clientProps(), Names.DEFAULT, "watermark", null, 2, (short) -1).run(false);
        release.countDown();
        assertThat(second.moved()).hasSize(4);
        assertThatThrownBy(() -> first.get(60, TimeUnit.SECONDS)).as("the fenced run cannot commit")
                .hasRootCauseInstanceOf(KafkaException.class);
        assertMovedOnceEach(HnTopics.MAXITEM, 4);
    }

    private static void assertMovedOnceEach(String topic, int count) {
        List<ConsumerRecord<byte[], byte[]>> all = TopicReader.readAll(env.clientProps(), topic);
        assertThat(all).hasSize(count);
        assertThat(all).extracting(r -> DeadLetters.header(r.headers(), RedriveRecords.FROM)).doesNotHaveDuplicates();
        assertThat(all).extracting(r -> text(r.value())).doesNotHaveDuplicates();
    }

    /** Dead letters {@code value-first ..} of {@code stage}, as the runtime writes them. */
    private static void writeDeadLetters(String dlq, String input, String stage, int first, int n, Exception error)
            throws Exception {
        Map<String, Object> p = new HashMap<>(env.clientProps());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = first; i < first + n; i++) {
                RecordHeaders headers = new RecordHeaders();
                headers.add("trace", bytes("trace-" + i));
                ProducerRecord<byte[], byte[]> r = DeadLetters.record(dlq, new DeadLetters.Origin(input, i % 3, 100 + i,
                        bytes("key-" + i), bytes("value-" + i), headers), stage, error, 1);
                producer.send(r).get();
            }
        }
    }

    /** Runs the CLI against the test broker and returns its standard output. */
    private static String cli(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", env.bootstrapServers(), "--data-dir", env.dir("data").toString()));
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(SluiceCli.execute(all.toArray(String[]::new))).isZero();
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
