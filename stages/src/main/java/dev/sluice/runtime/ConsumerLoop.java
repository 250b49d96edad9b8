package dev.sluice.runtime;

import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one consumer loop of every stage that is not a Kafka Streams application: a thread that
 * subscribes, polls and hands each batch to its {@link Body} (the transactional loop commits the
 * batch in a Kafka transaction, a PostgreSQL sink in a database transaction). {@link #close} stops it
 * within seconds: the batch in hand is abandoned, never committed, and the consumer leaves its group
 * so that the partitions move to another instance at once.
 */
public final class ConsumerLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);
    static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    static final Duration JOIN_TIMEOUT = Duration.ofSeconds(8);

    /** What a loop does with its batches. */
    public interface Body {
        /** Called on the loop's thread before subscribing (e.g. initialise transactions, connect). */
        void open() throws Exception;

        /** Hears partition assignments of the subscription. */
        ConsumerRebalanceListener listener();

        /** Called before each poll (e.g. to resume paused partitions). */
        default void beforePoll() {
        }

        /** Processes and commits one non-empty batch; {@code running} says whether the loop still runs. */
        void handle(ConsumerRecords<byte[], byte[]> batch, java.util.function.BooleanSupplier running) throws Exception;

        /** Releases what {@link #open} acquired; called on the loop's thread when it ends. */
        void closeResources();
    }

    private final String stage;
    private final String topic;
    private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
    private final Body body;
    private final Thread thread;
    private volatile boolean running = true;
    private Consumer<Throwable> onFatal = t -> { };

    public ConsumerLoop(String stage, String topic, org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer,
                        Body body) {
        this.stage = stage;
        this.topic = topic;
        this.consumer = consumer;
        this.body = body;
        this.thread = new Thread(this::run, "sluice-" + stage + "-loop");
    }

    public void start(Consumer<Throwable> fatalHandler) {
        this.onFatal = fatalHandler;
        thread.start();
    }

    private void run() {
        try {
            body.open();
            consumer.subscribe(Set.of(topic), body.listener());
            while (running) {
                body.beforePoll();
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL_TIMEOUT);
                if (!batch.isEmpty() && running) {
                    body.handle(batch, () -> running);
                }
            }
        } catch (Throwable t) {
            if (running && !isInterruption(t)) {
                log.error("stage {} stopped on a fatal error", stage, t);
                onFatal.accept(t);
            }
        } finally {
            closeQuietly();
        }
    }

    /**
     * Closes the body's resources and the consumer within their timeouts. The interrupt of
     * {@link #close} has done its job (it ended the batch) and is cleared first: closing interrupted
     * clients would fail mid-way, leave the group unannounced and log errors for an ordinary stop.
     */
    private void closeQuietly() {
        boolean interrupted = Thread.interrupted();
        try {
            body.closeResources();
        } catch (RuntimeException e) {
            log.debug("stage {}: closing its resources: {}", stage, e.toString());
        }
        try {
            // a static member leaves explicitly on a clean stop, so a scale-down hands its partitions over at once
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(3))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        } catch (RuntimeException e) {
            log.debug("stage {}: closing the consumer: {}", stage, e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static boolean isInterruption(Throwable t) {
        return t instanceof WakeupException || t instanceof InterruptedException || t instanceof InterruptException;
    }

    /** True until {@link #close} is called. */
    public boolean running() {
        return running;
    }

    /** Stops the loop: the batch in hand is abandoned, the body's resources and the consumer closed. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        thread.interrupt();
        try {
            thread.join(JOIN_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
