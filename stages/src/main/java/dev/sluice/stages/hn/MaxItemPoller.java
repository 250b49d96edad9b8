package dev.sluice.stages.hn;

import dev.sluice.stage.LogicalTopicSerializer;
import dev.sluice.stage.Names;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.hn.HnMaxItem;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls {@code /v0/maxitem.json} every {@code hn.poll.interval.ms} and writes each new value to
 * {@link HnTopics#MAXITEM} (key {@code "hn"}, so one partition and one watermark task own it).
 * Observations are idempotent — the watermark only moves forward — so a plain idempotent producer
 * suffices; a failed poll is logged and tried again at the next tick.
 */
public final class MaxItemPoller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MaxItemPoller.class);
    public static final String KEY = "hn";

    private final HnApiClient api;
    private final long intervalMs;
    private final KafkaProducer<String, HnMaxItem> producer;
    private final AtomicLong lastObserved = new AtomicLong(-1);
    private final Thread thread;
    private volatile boolean running = true;

    private final String topic;

    /** Polls with {@code config}'s client and writes to this deployment's ({@code names}) maxitem topic. */
    public MaxItemPoller(HnConfig config, Map<String, Object> clientProps, Names names) {
        this.topic = names.topic(HnTopics.MAXITEM);
        this.api = config.newApiClient();
        this.intervalMs = config.getLong(HnConfig.POLL_INTERVAL_MS_CONFIG);
        Map<String, Object> p = new HashMap<>(clientProps);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, names.clientId("sluice-watermark-poller"));
        this.producer = new KafkaProducer<>(p, new StringSerializer(),
                LogicalTopicSerializer.of(names, new AvroSerde<>(HnMaxItem.class).serializer()));
        this.thread = new Thread(this::run, "sluice-maxitem-poller");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** The last maxitem written to the topic (and acknowledged), or -1 before the first. */
    public long lastObserved() {
        return lastObserved.get();
    }

    private void run() {
        while (running) {
            pollOnce();
            try {
                Thread.sleep(intervalMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void pollOnce() {
        try {
            long max = api.maxItem();
            if (max != lastObserved.get()) {
                producer.send(new ProducerRecord<>(topic, KEY, new HnMaxItem(max, Instant.now()))).get();
                lastObserved.set(max);
                log.debug("maxitem is {}", max);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } catch (Exception e) {
            log.warn("maxitem poll failed, trying again in {} ms: {}", intervalMs, e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
