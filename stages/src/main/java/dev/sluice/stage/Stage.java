package dev.sluice.stage;

/**
 * One step of the pipeline: reads a record from the stage's input topic and emits zero or more
 * records to its output topic.
 *
 * <p>This is the whole extension interface, in the spirit of Kafka Streams' {@code Processor}. The
 * runtime wraps every call to {@link #process} with:
 * <ul>
 *   <li><b>exactly-once</b>: outputs, dead letters and the input offset commit in one Kafka
 *       transaction, so a crash replays the record and never duplicates its outputs;</li>
 *   <li><b>retries</b>: a {@link RetriableStageException} (or an I/O error) is retried with bounded
 *       exponential backoff and full jitter; outputs emitted by a failed attempt are discarded;</li>
 *   <li><b>dead-lettering</b>: a permanent error, or retries exhausted, sends the input record to
 *       {@code <input-topic>.dlq} with {@code sluice.errors.*} headers, and the stage goes on;</li>
 *   <li><b>metrics and logging</b>: counters per stage and MDC keys {@code stage} and {@code key}.</li>
 * </ul>
 *
 * <p>Implementations must be safe to call again with the same record (a replay after a crash) and
 * may be called from several threads at once when the stage's concurrency is above 1; keep
 * per-call state local or thread-safe. An instance is created per running stage by its
 * {@link StageDefinition}'s supplier.
 *
 * @param <KI> input key type
 * @param <VI> input value type
 * @param <KO> output key type
 * @param <VO> output value type
 */
public interface Stage<KI, VI, KO, VO> extends AutoCloseable {

    /** Called once before the first record; open clients and caches here. */
    default void init(StageContext context) {
    }

    /**
     * Processes one input record.
     *
     * @param record the input record with its origin (topic, partition, offset)
     * @param out    where outputs go; only the outputs of the attempt that returns normally are kept
     * @throws RetriableStageException when trying again later may succeed
     * @throws PermanentStageException when the record can never succeed (it is dead-lettered)
     * @throws Exception anything else is classified by the runtime's {@code ErrorClassifier}
     */
    void process(StageRecord<KI, VI> record, Output<KO, VO> out) throws Exception;

    /** Called once on shutdown; release what {@link #init} opened. */
    @Override
    default void close() {
    }
}
