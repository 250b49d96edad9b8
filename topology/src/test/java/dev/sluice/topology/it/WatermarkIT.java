package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.hn.HnReplayServer;
import dev.sluice.testkit.hn.SharedFixtures;
import dev.sluice.stages.hn.HnConfig;
import dev.sluice.stages.hn.HnTopics;
import dev.sluice.topology.SluiceConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The watermark alone on a real broker: restarts and a growing maxitem never leave a gap or a repeat. */
class WatermarkIT {
    private static ItEnv env;
    private static HnReplayServer hn;

    @BeforeAll
    static void start() throws Exception {
        env = ItEnv.start("watermark");
        hn = HnReplayServer.builder().items(SharedFixtures.hnItems()).start();
    }

    @AfterAll
    static void stop() {
        hn.close();
        env.close();
    }

    @Test
    void shouldEmitEachItemIdOnceWhenTheWatermarkRestartsAndMaxitemGrows() throws Exception {
        Path data = env.dir("data");
        long first = HnExpectations.LAST - 1999;
        hn.setMaxItem(first + 499);
        watermark(data).set(HnConfig.BACKFILL_CONFIG, 500).runUntilIdle(Duration.ofMinutes(2));
        hn.setMaxItem(first + 1199);
        watermark(data).set(HnConfig.BACKFILL_CONFIG, 5).runUntilIdle(Duration.ofMinutes(2));
        hn.setMaxItem(HnExpectations.LAST);
        watermark(data).set(HnConfig.FROM_ID_CONFIG, 1).runUntilIdle(Duration.ofMinutes(2));

        List<Long> ids = TopicReader.readAll(env.clientProps(), HnTopics.ITEM_IDS).stream()
                .map(r -> ByteBuffer.wrap(r.key()).getLong()).sorted().toList();
        assertThat(ids).as("backfill 500 at first start, then only new ids; later from-id/backfill ignored")
                .isEqualTo(LongStream.rangeClosed(first, HnExpectations.LAST).boxed().toList());
    }

    private static PipelineRun watermark(Path data) {
        return PipelineRun.on(env, data, hn.baseUrl()).set(SluiceConfig.STAGES_CONFIG, "watermark")
                .set(HnConfig.WATERMARK_BATCH_CONFIG, 50);
    }
}
