package dev.sluice.runtime;

import dev.sluice.stage.Names;
import dev.sluice.stage.Stage;
import dev.sluice.stage.StageContext;
import dev.sluice.stage.StageDefinition;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Runs a {@link Stage} inside Kafka Streams (exactly_once_v2): source → stage → output sink, with
 * a second sink for the dead-letter topic. Node names are fixed ({@code <stage>-source},
 * {@code <stage>-process}, {@code <stage>-sink}, {@code <stage>-dlq}) so the topology stays
 * compatible across releases. Used for stages with concurrency 1 and by TopologyTestDriver tests.
 */
public final class StageTopology {

    private StageTopology() {
    }

    /** A topology holding just this stage, on the topics of a deployment without a prefix ({@link Names#DEFAULT}). */
    public static Topology build(StageDefinition<?, ?, ?, ?> def, RetryPolicy policy, String instanceId,
                                 Map<String, Object> stageConfig) {
        return addTo(new Topology(), def, policy, instanceId, stageConfig, Names.DEFAULT);
    }

    /** Adds this stage's nodes to {@code topology}, on the physical topics {@code names} gives. */
    public static Topology addTo(Topology topology, StageDefinition<?, ?, ?, ?> def, RetryPolicy policy,
                                 String instanceId, Map<String, Object> stageConfig, Names names) {
        String n = def.name();
        topology.addSource(n + "-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), names.topic(def.inputTopic()));
        topology.addProcessor(n + "-process", () -> new StageProcessor<>(def, policy, instanceId, stageConfig, names),
                n + "-source");
        topology.addSink(n + "-sink", names.topic(def.outputTopic()), new ByteArraySerializer(), new ByteArraySerializer(),
                n + "-process");
        topology.addSink(n + "-dlq", names.topic(def.deadLetterTopic()), new ByteArraySerializer(), new ByteArraySerializer(),
                n + "-process");
        return topology;
    }

    private static final class StageProcessor<KI, VI, KO, VO> extends ContextualProcessor<byte[], byte[], byte[], byte[]> {
        private final StageDefinition<KI, VI, KO, VO> def;
        private final RetryPolicy policy;
        private final String instanceId;
        private final Map<String, Object> stageConfig;
        private final Names names;
        private Stage<KI, VI, KO, VO> stage;
        private StageExecution<KI, VI, KO, VO> execution;

        StageProcessor(StageDefinition<KI, VI, KO, VO> def, RetryPolicy policy, String instanceId,
                       Map<String, Object> stageConfig, Names names) {
            this.def = def;
            this.names = names;
            this.policy = policy;
            this.instanceId = instanceId;
            this.stageConfig = stageConfig;
        }

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            super.init(context);
            stage = def.newStage();
            stage.init(new StageContext(def.name(), instanceId, stageConfig));
            execution = new StageExecution<>(def, stage, policy, names);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            RecordMetadata meta = context().recordMetadata().orElseThrow();
            DeadLetters.Origin origin = new DeadLetters.Origin(meta.topic(), meta.partition(), meta.offset(),
                    record.key(), record.value(), record.headers());
            for (ProducerRecord<byte[], byte[]> out : execution.execute(origin, record.timestamp())) {
                String child = out.topic().equals(execution.deadLetterTopic()) ? def.name() + "-dlq" : def.name() + "-sink";
                context().forward(new Record<>(out.key(), out.value(), record.timestamp(), out.headers()), child);
            }
        }

        @Override
        public void close() {
            if (stage != null) {
                stage.close();
            }
        }
    }
}
