package dev.sluice.stages.threads;

import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.threads.ThreadSnapshot;
import dev.sluice.schemas.threads.ThreadState;
import dev.sluice.stages.summarise.SummariseConfig;
import dev.sluice.stages.summarise.SummaryTopics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The threads sub-topology: comments resolved to their root story in, thread snapshots out, with
 * the per-thread state in the changelogged store {@value #STORE}. Since comments are keyed by root
 * story id, every comment of a thread reaches the same task.
 */
public final class ThreadTopology {
    public static final String NAME = "threads";
    public static final String STORE = "thread-store";
    public static final String SOURCE = "threads-source";
    public static final String PROCESSOR = "threads-process";
    public static final String SINK = "threads-sink";
    public static final String DLQ_SINK = "threads-dlq";

    private ThreadTopology() {
    }

    public static Topology build(SummariseConfig config) {
        ThreadAggregator.Settings settings = new ThreadAggregator.Settings(config.getInt(SummariseConfig.THREAD_MIN_CONFIG),
                config.getInt(SummariseConfig.THREAD_EVERY_CONFIG), config.getInt(SummariseConfig.THREAD_MAX_COMMENTS_CONFIG));
        Topology t = new Topology();
        t.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), SummaryTopics.THREAD_COMMENTS);
        t.addProcessor(PROCESSOR, () -> new ThreadAggregator(settings), SOURCE);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Long(),
                new AvroSerde<>(ThreadState.class)), PROCESSOR);
        t.addSink(SINK, SummaryTopics.THREAD_SNAPSHOTS, Serdes.Long().serializer(),
                new AvroSerde<>(ThreadSnapshot.class).serializer(), PROCESSOR);
        t.addSink(DLQ_SINK, SummaryTopics.THREAD_COMMENTS + ".dlq", new ByteArraySerializer(), new ByteArraySerializer(), PROCESSOR);
        return t;
    }
}
