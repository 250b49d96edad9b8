package dev.sluice.stages.hn;

import dev.sluice.runtime.DeadLetters;
import dev.sluice.stage.Names;
import dev.sluice.runtime.StageMetrics;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.hn.HnItemId;
import dev.sluice.schemas.hn.HnMaxItem;
import java.time.Duration;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Emits ids {@code next..target} in bounded steps and keeps both in {@link WatermarkTopology#STORE}. */
final class WatermarkProcessor extends ContextualProcessor<byte[], byte[], Object, Object> {
    private static final Logger log = LoggerFactory.getLogger(WatermarkProcessor.class);
    static final String NEXT = "next";
    static final String TARGET = "target";

    record Settings(long fromId, long backfill, int batch) {
    }

    private final Settings settings;
    private final AvroSerde<HnMaxItem> serde;
    private final WatermarkProgress progress;
    private final StageMetrics metrics = StageMetrics.of(WatermarkTopology.NAME);
    private KeyValueStore<String, Long> store;

    WatermarkProcessor(Settings settings, AvroSerde<HnMaxItem> serde, WatermarkProgress progress) {
        this.settings = settings;
        this.serde = serde;
        this.progress = progress;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        super.init(context);
        store = context.getStateStore(WatermarkTopology.STORE);
        context.schedule(Duration.ofMillis(100), PunctuationType.WALL_CLOCK_TIME, now -> drain());
        Long next = store.get(NEXT);
        if (next != null) {
            progress.update(next, store.get(TARGET));
            log.info("watermark resumes at id {} (target {})", next, store.get(TARGET));
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.in.incrementAndGet();
        HnMaxItem observed;
        try {
            observed = serde.deserializer().deserialize(HnTopics.MAXITEM, record.value());
            if (observed == null) {
                throw new SerializationException("empty maxitem record");
            }
        } catch (SerializationException e) {
            deadLetter(record, e);
            return;
        }
        accept(observed.getMaxitem());
        drain();
    }

    private void accept(long maxItem) {
        if (store.get(NEXT) == null) {
            long first = settings.fromId() > 0 ? settings.fromId() : Math.max(1, maxItem - settings.backfill() + 1);
            store.put(NEXT, first);
            store.put(TARGET, first - 1);
            log.info("watermark starts at id {} (maxitem {})", first, maxItem);
        }
        if (maxItem > store.get(TARGET)) {
            store.put(TARGET, maxItem);
        }
    }

    private void drain() {
        Long next = store.get(NEXT);
        if (next == null) {
            return;
        }
        long target = store.get(TARGET);
        long end = Math.min(target, next + settings.batch() - 1);
        long ts = context().currentSystemTimeMs();
        for (long id = next; id <= end; id++) {
            context().forward(new Record<>(id, new HnItemId(id, "watermark"), ts), WatermarkTopology.SINK);
        }
        if (end >= next) {
            store.put(NEXT, end + 1);
            metrics.out.addAndGet(end - next + 1);
        }
        progress.update(Math.max(next, end + 1), target);
    }

    private void deadLetter(Record<byte[], byte[]> record, Exception e) {
        DeadLetters.forward(context(), record, WatermarkTopology.DLQ_SINK, Names.logicalDlq(HnTopics.MAXITEM), WatermarkTopology.NAME, e);
    }
}
