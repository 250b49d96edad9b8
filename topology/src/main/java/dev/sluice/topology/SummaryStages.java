package dev.sluice.topology;

import dev.sluice.stages.hn.HnConfig;
import dev.sluice.stages.summarise.JdbcSummaryCache;
import dev.sluice.stages.summarise.SummariseConfig;
import dev.sluice.stages.summarise.SummariseStage;
import dev.sluice.stages.summarise.Subject;
import dev.sluice.stages.summarise.SummaryCache;
import dev.sluice.stages.summarise.SummaryTopics;
import dev.sluice.stages.threads.ThreadResolveStage;
import dev.sluice.stages.threads.ThreadTopology;
import java.sql.SQLException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;

/** Factories of the summaries path's running stages, for {@link StageCatalog}. */
final class SummaryStages {

    private SummaryStages() {
    }

    /** Items to thread comments, {@code threads.resolve.concurrency} ancestor fetches in flight. */
    static RunningStage resolve(StageContext c) {
        return Runners.of(ThreadResolveStage.definition(c.hn(), c.summarise()), c, c.hn().fetchRetryPolicy(),
                c.hn().getInt(HnConfig.FETCH_MAX_POLL_RECORDS_CONFIG));
    }

    /** Thread comments to snapshots, a Kafka Streams application with its thread store. */
    static RunningStage threads(StageContext c) {
        return new StreamsStage(ThreadTopology.NAME, SummaryTopics.THREAD_COMMENTS, ThreadTopology.build(c.summarise()), c);
    }

    /** A summarise stage reading {@code topic}, each value mapped to a subject by {@code subjects}. */
    static <K, V> RunningStage summarise(String name, String topic, Serde<K> keys, Serde<V> values,
                                         Function<V, Subject> subjects, StageContext c) {
        SummariseConfig s = c.summarise();
        return Runners.of(SummariseStage.definition(name, topic, keys, values, subjects, s, cache(c)), c,
                s.stageRetryPolicy(), s.getInt(SummariseConfig.MAX_POLL_CONFIG));
    }

    /** The PostgreSQL {@code llm_cache}, opened when the stage starts. */
    static Supplier<SummaryCache> cache(StageContext c) {
        return () -> {
            try {
                return new JdbcSummaryCache(c.jdbcUrl());
            } catch (SQLException e) {
                throw new IllegalStateException("cannot open llm_cache in PostgreSQL (" + e.getMessage()
                        + "); set db.url or disable summarise.cache.enabled", e);
            }
        };
    }
}
