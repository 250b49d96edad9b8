package dev.sluice.stages.hn;

import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.hn.HnItemId;
import dev.sluice.schemas.hn.HnMaxItem;
import dev.sluice.stage.LogicalTopicSerializer;
import dev.sluice.stage.Names;
import dev.sluice.stage.Scaling;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageProvider;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The watermark sub-topology: maxitem observations in, every new item id out, exactly once.
 *
 * <p>{@code watermark-store} (persistent, changelogged) holds the next id to emit and the largest
 * maxitem seen. Ids are emitted to {@link HnTopics#ITEM_IDS} in the same exactly_once_v2 transaction
 * that advances the store, so a crash at any point replays from the last commit: no gap, no
 * repeat. A backlog is drained {@code watermark.batch.ids} at a time, per record and per wall-clock
 * punctuation, so it spreads over many transactions instead of one giant one.
 */
public final class WatermarkTopology implements StageProvider {
    public static final String NAME = "watermark";
    public static final String STORE = "watermark-store";
    public static final String SOURCE = "watermark-source";
    public static final String PROCESSOR = "watermark-process";
    public static final String SINK = "watermark-sink";
    public static final String DLQ_SINK = "watermark-dlq";


    /**
     * maxitem observations in, each new id once out: the poller plus a Kafka Streams application with
     * its changelogged watermark. Exactly one replica: the poller must not run twice.
     */
    @Override
    public StageDefinition<?, ?, ?, ?> definition() {
        return StageDefinition.builder(NAME)
                .inputs(HnTopics.MAXITEM)
                // the maxitem poller writes the watermark's own input
                .outputs(HnTopics.ITEM_IDS, HnTopics.MAXITEM)
                .runtime(WatermarkStage::new)
                .uses(StageDefinition.Use.KAFKA_STREAMS, StageDefinition.Use.HN_API)
                .config(HnConfig.CONFIG, HnConfig::new)
                .scaling(Scaling.singleton())
                .build();
    }

    /** The sub-topology on the physical topics {@code names} gives; {@code progress} is updated as ids are emitted. */
    public static Topology build(HnConfig config, WatermarkProgress progress, Names names) {
        return addTo(new Topology(), config, progress, names);
    }

    public static Topology addTo(Topology t, HnConfig config, WatermarkProgress progress, Names names) {
        WatermarkProcessor.Settings settings = new WatermarkProcessor.Settings(
                config.getLong(HnConfig.FROM_ID_CONFIG), config.getLong(HnConfig.BACKFILL_CONFIG),
                config.getInt(HnConfig.WATERMARK_BATCH_CONFIG));
        AvroSerde<HnMaxItem> in = new AvroSerde<>(HnMaxItem.class);
        AvroSerde<HnItemId> out = new AvroSerde<>(HnItemId.class);
        t.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), names.topic(HnTopics.MAXITEM));
        t.addProcessor(PROCESSOR, () -> new WatermarkProcessor(settings, in, progress), SOURCE);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.Long()),
                PROCESSOR);
        t.addSink(SINK, names.topic(HnTopics.ITEM_IDS), Serdes.Long().serializer(),
                LogicalTopicSerializer.of(names, out.serializer()), PROCESSOR);
        t.addSink(DLQ_SINK, names.dlq(HnTopics.MAXITEM), new ByteArraySerializer(), new ByteArraySerializer(), PROCESSOR);
        return t;
    }
}
