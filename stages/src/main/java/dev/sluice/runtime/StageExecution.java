package dev.sluice.runtime;

import dev.sluice.schemas.registry.SchemaRegistryException;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.Stage;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one raw input record into the raw records to write: the stage's outputs, or a single
 * dead-letter record. Deserialization, the stage call with retries, and serialization all happen
 * here, so both runners (Kafka Streams and the transactional loop) treat bad bytes the same way.
 */
public final class StageExecution<KI, VI, KO, VO> {
    private static final Logger log = LoggerFactory.getLogger(StageExecution.class);

    private final StageDefinition<KI, VI, KO, VO> def;
    private final StageInvoker<KI, VI, KO, VO> invoker;
    private final StageMetrics metrics;

    public StageExecution(StageDefinition<KI, VI, KO, VO> def, Stage<KI, VI, KO, VO> stage, RetryPolicy policy) {
        this(def, new StageInvoker<>(def.name(), stage, policy));
    }

    public StageExecution(StageDefinition<KI, VI, KO, VO> def, StageInvoker<KI, VI, KO, VO> invoker) {
        this.def = def;
        this.invoker = invoker;
        this.metrics = StageMetrics.of(def.name());
    }

    /**
     * The records to write for this input, in order; never throws for bad data. Throws
     * {@link SchemaRegistryException} when the schema registry cannot be used, so that good records
     * are retried after a restart instead of dead-lettered.
     */
    public List<ProducerRecord<byte[], byte[]>> execute(DeadLetters.Origin origin, long timestamp) {
        metrics.in.incrementAndGet();
        StageRecord<KI, VI> record;
        try {
            record = decode(origin, timestamp);
        } catch (SchemaRegistryException e) {
            throw e; // the registry is down or misconfigured, not the record bad: fail the stage, do not dead-letter
        } catch (RuntimeException e) {
            return deadLetter(origin, new PermanentStageException("cannot deserialize input: " + e.getMessage(), e), 1);
        }
        Outcome<KO, VO> outcome = invoker.invoke(record);
        if (outcome.failed()) {
            return deadLetter(origin, outcome.error(), outcome.attempts());
        }
        try {
            List<ProducerRecord<byte[], byte[]>> out = encode(outcome.outputs());
            metrics.out.addAndGet(out.size());
            return out;
        } catch (SchemaRegistryException e) {
            throw e;
        } catch (RuntimeException e) {
            return deadLetter(origin, new PermanentStageException("cannot serialize output: " + e.getMessage(), e),
                    outcome.attempts());
        }
    }

    private StageRecord<KI, VI> decode(DeadLetters.Origin o, long timestamp) {
        String topic = o.topic();
        KI key = o.key() == null ? null : def.inKeySerde().deserializer().deserialize(topic, o.headers(), o.key());
        VI value = o.value() == null ? null
                : def.inValueSerde().deserializer().deserialize(topic, o.headers(), o.value());
        return new StageRecord<>(topic, o.partition(), o.offset(), timestamp, key, value, o.headers());
    }

    private List<ProducerRecord<byte[], byte[]>> encode(List<Outcome.Emitted<KO, VO>> outputs) {
        String topic = def.outputTopic();
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(outputs.size());
        for (Outcome.Emitted<KO, VO> e : outputs) {
            RecordHeaders headers = new RecordHeaders();
            byte[] k = e.key() == null ? null : def.outKeySerde().serializer().serialize(topic, headers, e.key());
            byte[] v = e.value() == null ? null : def.outValueSerde().serializer().serialize(topic, headers, e.value());
            out.add(new ProducerRecord<>(topic, null, k, v, headers));
        }
        return out;
    }

    private List<ProducerRecord<byte[], byte[]>> deadLetter(DeadLetters.Origin origin, Throwable error, int attempts) {
        metrics.deadLettered.incrementAndGet();
        log.warn("dead-lettering {}-{}@{} to {} after {} attempt(s): {}", origin.topic(), origin.partition(),
                origin.offset(), def.deadLetterTopic(), attempts, StageInvoker.describe(error));
        return List.of(DeadLetters.record(def.deadLetterTopic(), origin, def.name(), error, attempts));
    }
}
