package dev.sluice.stages.threads;

import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.threads.ThreadSnapshot;
import dev.sluice.schemas.threads.ThreadState;
import dev.sluice.stage.LogicalTopicSerializer;
import dev.sluice.stage.Names;
import dev.sluice.stage.Scaling;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageProvider;
import dev.sluice.schemas.documents.DocumentTopics;
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
public final class ThreadTopology implements StageProvider {
    public static final String NAME = "threads";
    public static final String STORE = "thread-store";
    public static final String SOURCE = "threads-source";
    public static final String PROCESSOR = "threads-process";
    public static final String SINK = "threads-sink";
    public static final String DLQ_SINK = "threads-dlq";


    /** Thread comments in, versioned snapshots out: a Kafka Streams application with its thread store. */
    @Override
    public StageDefinition<?, ?, ?, ?> definition() {
        return StageDefinition.builder(NAME)
                .inputs(SummaryTopics.THREAD_COMMENTS)
                .outputs(SummaryTopics.THREAD_SNAPSHOTS)
                .stateful(env -> build(new SummariseConfig(env.originals()), env.names()))
                .config(SummariseConfig.CONFIG, SummariseConfig::new)
                .largeRecords(SummaryTopics.THREAD_SNAPSHOTS, DocumentTopics.MAX_DOCUMENT_RECORD_BYTES)
                .scaling(Scaling.DEFAULT.replicas(1, 4))
                .build();
    }

    /** The topology on the physical topics {@code names} gives (serialization uses the logical ones). */
    public static Topology build(SummariseConfig config, Names names) {
        ThreadAggregator.Settings settings = new ThreadAggregator.Settings(config.getInt(SummariseConfig.THREAD_MIN_CONFIG),
                config.getInt(SummariseConfig.THREAD_EVERY_CONFIG), config.getInt(SummariseConfig.THREAD_MAX_COMMENTS_CONFIG));
        Topology t = new Topology();
        t.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), names.topic(SummaryTopics.THREAD_COMMENTS));
        t.addProcessor(PROCESSOR, () -> new ThreadAggregator(settings), SOURCE);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Long(),
                AvroSerde.forStore(ThreadState.class)), PROCESSOR);
        t.addSink(SINK, names.topic(SummaryTopics.THREAD_SNAPSHOTS), Serdes.Long().serializer(),
                LogicalTopicSerializer.of(names, new AvroSerde<>(ThreadSnapshot.class).serializer()), PROCESSOR);
        t.addSink(DLQ_SINK, names.dlq(SummaryTopics.THREAD_COMMENTS), new ByteArraySerializer(), new ByteArraySerializer(), PROCESSOR);
        return t;
    }
}
