package dev.sluice.topology;

import dev.sluice.runtime.DeadLetters;
import dev.sluice.stage.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a stage's dead letters back on its input topic, each exactly once across runs.
 *
 * <p>A run reads the stage's dead-letter topic from the beginning to the end offsets it has at start
 * (read_committed), and moves the dead letters whose {@value DeadLetters#STAGE} is the stage and, when
 * a reason pattern is given, whose {@value DeadLetters#MESSAGE} it finds. A moved record keeps its key,
 * value and non-{@code sluice.errors.*} headers, and gains {@value RedriveRecords#COUNT} (incremented on every
 * re-drive) and {@value RedriveRecords#FROM} ({@code <dlq>:<partition>:<offset>}). Records are re-sent in
 * transactions of at most {@code batchSize} records, each with one marker per record on the compacted
 * {@code <dlq>.redriven} topic ({@link RedriveMarkers}); a run skips dead letters that have a committed
 * marker. The transactional id is fixed per dead-letter topic, so a run fences one that was killed
 * mid-transaction and aborts what it left open: a crash neither loses nor duplicates a record.
 */
public final class DeadLetterRedrive {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterRedrive.class);

    private final Map<String, Object> clientProps;
    private final String stage;
    private final String inputTopic;
    private final String dlq;
    private final String transactionalId;
    private final String clientId;
    private final Pattern reason;
    private final int batchSize;
    private final short replication;
    private IntConsumer beforeCommit = batch -> { };

    /**
     * @param names       the deployment's topics and ids ({@code topic.prefix})
     * @param reason      moves only dead letters whose exception message it finds; null moves all
     * @param replication replication factor of the marker topic when it is created; -1 takes the broker's default
     */
    public DeadLetterRedrive(Map<String, Object> clientProps, Names names, String stage, Pattern reason, int batchSize,
                             short replication) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
        }
        dev.sluice.stage.StageDefinition<?, ?, ?, ?> entry = StageCatalog.entry(stage);
        this.clientProps = Map.copyOf(clientProps);
        this.stage = stage;
        this.inputTopic = names.topic(entry.inputTopic());
        this.dlq = names.topic(entry.deadLetterTopic());
        this.transactionalId = transactionalId(names, entry.deadLetterTopic());
        this.clientId = names.clientId("sluice-redrive-" + stage);
        this.reason = reason;
        this.batchSize = batchSize;
        this.replication = replication;
    }

    /** For tests: called with the batch number (1, 2, ...) after a batch is sent and before it commits. */
    public DeadLetterRedrive beforeCommit(IntConsumer hook) {
        this.beforeCommit = hook;
        return this;
    }

    /** The transactional id of every re-drive of the logical {@code dlq}, so that a later run fences an earlier one. */
    public static String transactionalId(Names names, String dlq) {
        return names.clientId("sluice-redrive-" + dlq);
    }

    /** Moves the matching dead letters, or with {@code dryRun} only says which it would move, writing nothing. */
    public RedriveResult run(boolean dryRun) throws Exception {
        RedriveResult.Builder result = new RedriveResult.Builder(stage, dlq, dryRun);
        try (Admin admin = Admin.create(new HashMap<>(clientProps))) {
            Set<String> topics = admin.listTopics().names().get();
            if (!topics.contains(inputTopic)) {
                throw new IllegalStateException("input topic " + inputTopic + " of stage " + stage
                        + " does not exist; start the pipeline once (./sluice run) to create it");
            }
            if (!topics.contains(dlq)) {
                log.info("{} does not exist: stage {} has dead-lettered nothing", dlq, stage);
                return result.build();
            }
            if (dryRun) {
                scan(RedriveMarkers.read(clientProps, dlq, topics), result, null);
                return result.build();
            }
            RedriveMarkers.ensure(admin, dlq, replication);
        }
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.initTransactions(); // aborts what a run killed mid-transaction left open
            scan(RedriveMarkers.read(clientProps, dlq, Set.of(RedriveMarkers.topic(dlq))), result, producer);
        }
        return result.build();
    }

    private void scan(Set<String> done, RedriveResult.Builder result, KafkaProducer<byte[], byte[]> producer) {
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = RedriveMarkers.consumer(clientProps)) {
            List<TopicPartition> parts = c.partitionsFor(dlq).stream().map(i -> new TopicPartition(dlq, i.partition())).toList();
            SnapshotReader.read(c, parts, r -> {
                if (!stage.equals(DeadLetters.header(r.headers(), DeadLetters.STAGE))) {
                    result.otherStage++;
                } else if (done.contains(RedriveMarkers.key(r.partition(), r.offset()))) {
                    result.alreadyRedriven++;
                } else if (reason != null && !reason.matcher(RedriveRecords.message(r)).find()) {
                    result.reasonMismatch++;
                } else {
                    batch.add(r);
                    if (batch.size() == batchSize) {
                        move(batch, result, producer);
                    }
                }
            });
        }
        move(batch, result, producer);
    }

    private void move(List<ConsumerRecord<byte[], byte[]>> batch, RedriveResult.Builder result, KafkaProducer<byte[], byte[]> producer) {
        if (batch.isEmpty()) {
            return;
        }
        if (producer != null) {
            commit(batch, producer, ++result.batches);
        }
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            result.moved.add(new RedriveResult.Moved(dlq, r.partition(), r.offset(), inputTopic, RedriveRecords.describe(r)));
        }
        batch.clear();
    }

    private void commit(List<ConsumerRecord<byte[], byte[]>> batch, KafkaProducer<byte[], byte[]> producer, int number) {
        producer.beginTransaction();
        try {
            for (ConsumerRecord<byte[], byte[]> r : batch) {
                producer.send(RedriveRecords.resend(r, inputTopic));
                producer.send(RedriveMarkers.marker(dlq, r.partition(), r.offset(), stage));
            }
            beforeCommit.accept(number);
            producer.commitTransaction();
            log.info("re-drove {} dead letters of {} to {} (transaction {})", batch.size(), dlq, inputTopic, number);
        } catch (RuntimeException e) {
            try {
                producer.abortTransaction();
            } catch (KafkaException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> p = new HashMap<>(clientProps);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
