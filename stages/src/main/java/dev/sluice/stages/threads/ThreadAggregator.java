package dev.sluice.stages.threads;

import dev.sluice.runtime.DeadLetters;
import dev.sluice.stage.Names;
import dev.sluice.runtime.StageMetrics;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.threads.SnapshotComment;
import dev.sluice.schemas.threads.ThreadComment;
import dev.sluice.schemas.threads.ThreadSnapshot;
import dev.sluice.schemas.threads.ThreadState;
import dev.sluice.stages.summarise.SummaryTopics;
import java.util.ArrayList;
import java.util.HashSet;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Aggregates comments per thread in {@code thread-store} and emits a {@link ThreadSnapshot} when a
 * thread reaches {@code threads.min.comments}, then again after every
 * {@code threads.resummarise.every} further comments, with versions 1, 2, ... Each comment counts
 * once. Store and snapshots commit in one exactly_once_v2 transaction.
 */
final class ThreadAggregator extends ContextualProcessor<byte[], byte[], Object, Object> {
    private static final Logger log = LoggerFactory.getLogger(ThreadAggregator.class);

    /** Thresholds of the aggregator. */
    record Settings(int minComments, int every, int maxComments) {
    }

    private final Settings settings;
    private final AvroSerde<ThreadComment> serde = new AvroSerde<>(ThreadComment.class);
    private final StageMetrics metrics = StageMetrics.of(ThreadTopology.NAME);
    private KeyValueStore<Long, ThreadState> store;

    ThreadAggregator(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        super.init(context);
        store = context.getStateStore(ThreadTopology.STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.in.incrementAndGet();
        ThreadComment c;
        try {
            c = serde.deserializer().deserialize(SummaryTopics.THREAD_COMMENTS, record.value());
            if (c == null) {
                throw new SerializationException("empty thread-comment record");
            }
        } catch (SerializationException e) {
            deadLetter(record, e);
            return;
        }
        MDC.put("stage", ThreadTopology.NAME);
        MDC.put("key", String.valueOf(c.getRootId()));
        MDC.put("item", String.valueOf(c.getItemId()));
        try {
            aggregate(record, c);
        } finally {
            MDC.remove("stage");
            MDC.remove("key");
            MDC.remove("item");
        }
    }

    private void aggregate(Record<byte[], byte[]> record, ThreadComment c) {
        ThreadState state = store.get(c.getRootId());
        if (state == null) {
            state = new ThreadState(c.getRootId(), null, new ArrayList<>(), new ArrayList<>(), 0, 0);
        }
        if (c.getIsStory()) {
            state.setTitle(c.getText());
        } else if (!add(state, c)) {
            log.debug("skipping {}: comment {} is already in thread {}",
                    context().recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?"),
                    c.getItemId(), c.getRootId());
            return;
        }
        store.put(c.getRootId(), state);
        if (due(state)) {
            emit(state, record.timestamp());
        }
    }

    private boolean add(ThreadState state, ThreadComment c) {
        if (new HashSet<>(state.getCommentIds()).contains(c.getItemId())) {
            return false;
        }
        state.getCommentIds().add(c.getItemId());
        if (state.getComments().size() < settings.maxComments()) {
            state.getComments().add(new SnapshotComment(c.getItemId(), c.getBy(), c.getText() == null ? "" : c.getText()));
        }
        return true;
    }

    private boolean due(ThreadState s) {
        int count = s.getCommentIds().size();
        return s.getVersions() == 0 ? count >= settings.minComments() : count - s.getCountAtLast() >= settings.every();
    }

    private void emit(ThreadState s, long timestamp) {
        s.setVersions(s.getVersions() + 1);
        s.setCountAtLast(s.getCommentIds().size());
        store.put(s.getRootId(), s);
        ThreadSnapshot snap = new ThreadSnapshot(s.getRootId(), s.getVersions(), s.getTitle(), s.getCountAtLast(),
                new ArrayList<>(s.getComments()));
        log.debug("thread {} has {} comments: snapshot version {}", s.getRootId(), s.getCountAtLast(), s.getVersions());
        metrics.out.incrementAndGet();
        context().forward(new Record<>(s.getRootId(), snap, timestamp), ThreadTopology.SINK);
    }

    private void deadLetter(Record<byte[], byte[]> record, Exception e) {
        DeadLetters.forward(context(), record, ThreadTopology.DLQ_SINK, Names.logicalDlq(SummaryTopics.THREAD_COMMENTS),
                ThreadTopology.NAME, e);
    }
}
