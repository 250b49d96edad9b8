package dev.sluice.runtime;

import dev.sluice.schemas.registry.SchemaRegistryException;
import dev.sluice.stage.Names;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.Stage;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Turns one raw input record into the raw records to write: the stage's outputs, or a single
 * dead-letter record. Deserialization, the stage call with retries, and serialization all happen
 * here, so both runners (Kafka Streams and the transactional loop) treat bad bytes the same way.
 */
public final class StageExecution<KI, VI, KO, VO> {
    private final StageDefinition<KI, VI, KO, VO> def;
    private final StageInvoker<KI, VI, KO, VO> invoker;
    private final StageMetrics metrics;
    private final String outputTopic;
    private final String deadLetterTopic;

    /** Runs {@code stage} with {@code policy}, writing to the physical topics {@code names} gives. */
    public StageExecution(StageDefinition<KI, VI, KO, VO> def, Stage<KI, VI, KO, VO> stage, RetryPolicy policy, Names names) {
        this(def, new StageInvoker<>(def.name(), stage, policy), names);
    }

    public StageExecution(StageDefinition<KI, VI, KO, VO> def, StageInvoker<KI, VI, KO, VO> invoker, Names names) {
        this.def = def;
        this.invoker = invoker;
        this.metrics = StageMetrics.of(def.name());
        this.outputTopic = names.topic(def.outputTopic());
        this.deadLetterTopic = names.topic(def.deadLetterTopic());
    }

    /** The physical dead-letter topic this execution writes. */
    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    /**
     * The records to write for this input, in order (its outputs, or one dead letter); a record that
     * is still failing with a retriable error after the in-place retries is dead-lettered too. Used
     * where the record cannot wait (the Kafka Streams harness of {@link StageTopology}).
     */
    public List<ProducerRecord<byte[], byte[]>> execute(DeadLetters.Origin origin, long timestamp) {
        RecordResult r = attempt(origin, timestamp);
        return r.isStalled() ? deadLetter(r).records() : r.records();
    }

    /**
     * Processes one input record: its outputs, one dead letter for a permanent failure, or
     * {@link RecordResult#stalled} for a retriable one that outlived the in-place retries (an outage,
     * the schema registry unreachable, a garbled answer), for the loop to retry later. Never throws.
     */
    public RecordResult attempt(DeadLetters.Origin origin, long timestamp) {
        metrics.in.incrementAndGet();
        StageRecord<KI, VI> record;
        try {
            record = decode(origin, timestamp);
        } catch (SchemaRegistryException e) {
            return RecordResult.stalled(origin, e, 1, 1); // the registry is down, not the record bad
        } catch (RuntimeException e) {
            return dead(origin, new PermanentStageException("cannot deserialize input: " + e.getMessage(), e), 1);
        }
        Outcome<KO, VO> outcome = invoker.invoke(record);
        if (outcome.failed()) {
            if (Thread.currentThread().isInterrupted() || ErrorClassifier.isInterruption(outcome.error())) {
                // the stage is stopping and the failure may be the interrupt's doing: never a dead
                // letter; stalled, the record is held back and its next owner replays it
                return RecordResult.stalled(origin, outcome.error(), outcome.attempts(), 0);
            }
            return ErrorClassifier.isRetriable(outcome.error())
                    ? RecordResult.stalled(origin, outcome.error(), outcome.attempts(), outcome.repeats())
                    : dead(origin, outcome.error(), outcome.attempts());
        }
        try {
            List<ProducerRecord<byte[], byte[]>> out = encode(origin, outcome.outputs());
            metrics.out.addAndGet(out.size());
            return RecordResult.done(origin, out);
        } catch (SchemaRegistryException e) {
            return RecordResult.stalled(origin, e, outcome.attempts(), 1);
        } catch (RecordSize.OversizedRecordException e) {
            return dead(origin, new PermanentStageException(e.getMessage(), e), outcome.attempts());
        } catch (RuntimeException e) {
            return dead(origin, new PermanentStageException("cannot serialize output: " + e.getMessage(), e),
                    outcome.attempts());
        }
    }

    /** The dead letter of a stalled record the loop gives up on. */
    public RecordResult deadLetter(RecordResult stalled) {
        return dead(stalled.origin(), stalled.error(), stalled.attempts());
    }

    private StageRecord<KI, VI> decode(DeadLetters.Origin o, long timestamp) {
        String topic = o.topic();
        KI key = o.key() == null ? null : def.inKeySerde().deserializer().deserialize(topic, o.headers(), o.key());
        VI value = o.value() == null ? null
                : def.inValueSerde().deserializer().deserialize(topic, o.headers(), o.value());
        return new StageRecord<>(topic, o.partition(), o.offset(), timestamp, key, value, o.headers());
    }

    private List<ProducerRecord<byte[], byte[]>> encode(DeadLetters.Origin origin, List<Outcome.Emitted<KO, VO>> outputs) {
        // schema subjects follow the logical topic, so every deployment of one registry shares them
        String topic = def.outputTopic();
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(outputs.size());
        for (Outcome.Emitted<KO, VO> e : outputs) {
            RecordHeaders headers = new RecordHeaders();
            byte[] k = e.key() == null ? null : def.outKeySerde().serializer().serialize(topic, headers, e.key());
            byte[] v = e.value() == null ? null : def.outValueSerde().serializer().serialize(topic, headers, e.value());
            RecordSize.check(outputTopic, k, v, headers, def.maxRecordBytes());
            out.add(new ProducerRecord<>(outputTopic, null, k, v, headers));
        }
        return out;
    }

    private RecordResult dead(DeadLetters.Origin origin, Throwable error, int attempts) {
        return RecordResult.done(origin, List.of(DeadLetters.emit(deadLetterTopic, origin, def.name(), error, attempts)));
    }
}
