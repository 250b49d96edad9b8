package dev.sluice.stages.threads;

import dev.sluice.stage.Names;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.threads.SnapshotComment;
import dev.sluice.schemas.threads.ThreadComment;
import dev.sluice.schemas.threads.ThreadSnapshot;
import dev.sluice.stages.summarise.SummariseConfig;
import dev.sluice.stages.summarise.SummaryTopics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreadTopologyTest {
    private static final long ROOT = 100L;

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<Long, ThreadComment> comments;
    private TestOutputTopic<Long, ThreadSnapshot> snapshots;

    @BeforeEach
    void start() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "threads-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        SummariseConfig config = new SummariseConfig(Map.of(SummariseConfig.THREAD_MIN_CONFIG, 3,
                SummariseConfig.THREAD_EVERY_CONFIG, 2, SummariseConfig.THREAD_MAX_COMMENTS_CONFIG, 4));
        driver = new TopologyTestDriver(ThreadTopology.build(config, Names.DEFAULT), p);
        comments = driver.createInputTopic(SummaryTopics.THREAD_COMMENTS, new LongSerializer(),
                new AvroSerde<>(ThreadComment.class).serializer());
        snapshots = driver.createOutputTopic(SummaryTopics.THREAD_SNAPSHOTS, new LongDeserializer(),
                new AvroSerde<>(ThreadSnapshot.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void comment(long id) {
        comments.pipeInput(ROOT, ThreadComment.newBuilder().setRootId(ROOT).setItemId(id).setParent(ROOT)
                .setText("comment " + id).build());
    }

    @Test
    void shouldSnapshotAtTheThresholdThenAfterEachNFurtherCommentsWithIncreasingVersions() {
        comments.pipeInput(ROOT, ThreadComment.newBuilder().setRootId(ROOT).setItemId(ROOT).setIsStory(true).setText("Story").build());
        for (long id = 1; id <= 7; id++) {
            comment(id);
        }
        List<ThreadSnapshot> out = snapshots.readValuesToList();
        assertThat(out).extracting(ThreadSnapshot::getVersion).containsExactly(1, 2, 3);
        assertThat(out).extracting(ThreadSnapshot::getCommentCount).containsExactly(3, 5, 7);
        assertThat(out.get(0).getTitle()).isEqualTo("Story");
        assertThat(out.get(2).getComments()).as("at most threads.max.comments kept").extracting(SnapshotComment::getId)
                .containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void shouldCountARepeatedCommentOnce() {
        comment(1);
        comment(1);
        comment(2);
        assertThat(snapshots.isEmpty()).isTrue();
        comment(3);
        assertThat(snapshots.readValue().getCommentCount()).isEqualTo(3);
    }

    @Test
    void shouldDeadLetterAnUndecodableRecordAndGoOn() {
        TestInputTopic<byte[], byte[]> raw = driver.createInputTopic(SummaryTopics.THREAD_COMMENTS, new ByteArraySerializer(),
                new ByteArraySerializer());
        raw.pipeInput(new byte[] {1}, new byte[] {(byte) 0xff, 0x01});
        TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(SummaryTopics.THREAD_COMMENTS + ".dlq",
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        assertThat(dlq.readRecordsToList()).hasSize(1);
        comment(1);
        comment(2);
        comment(3);
        assertThat(snapshots.readValue().getVersion()).isEqualTo(1);
    }
}
