package dev.sluice.stages.documents;

import dev.sluice.runtime.DeadLetters;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.documents.AssembledDocument;
import dev.sluice.schemas.documents.DocumentPage;
import dev.sluice.schemas.documents.DocumentTopics;
import dev.sluice.schemas.documents.OpenDocument;
import dev.sluice.schemas.documents.PageMethod;
import dev.sluice.schemas.documents.PageResult;
import dev.sluice.schemas.documents.PageTask;
import dev.sluice.stage.PermanentStageException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the page results of each submission of a document ({@code <doc id>@<submitted at>}) and
 * emits it once, pages in page order, when every page is in (failed pages included). A wall-clock
 * punctuator emits documents older than {@code documents.timeout.ms} as TIMED_OUT, naming the
 * missing pages. An emitted submission keeps a closed marker for another timeout period, so late
 * or replayed pages of it are dropped instead of opening it again.
 */
final class AssembleProcessor extends ContextualProcessor<byte[], byte[], byte[], byte[]> {
    private static final Logger log = LoggerFactory.getLogger(AssembleProcessor.class);
    private final AvroSerde<PageResult> results = new AvroSerde<>(PageResult.class);
    private final AvroSerde<AssembledDocument> documents = new AvroSerde<>(AssembledDocument.class);
    private final long timeoutMs;
    private final long checkMs;
    private KeyValueStore<String, OpenDocument> open;
    private KeyValueStore<String, DocumentPage> pages;

    AssembleProcessor(long timeoutMs, long checkMs) {
        this.timeoutMs = timeoutMs;
        this.checkMs = checkMs;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        super.init(context);
        open = context.getStateStore(AssembleTopology.OPEN_STORE);
        pages = context.getStateStore(AssembleTopology.PAGES_STORE);
        context.schedule(Duration.ofMillis(checkMs), PunctuationType.WALL_CLOCK_TIME, this::closeExpired);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        PageResult r;
        try {
            r = results.deserializer().deserialize(DocumentTopics.PAGE_RESULTS, record.value());
            if (r == null) {
                throw new IllegalArgumentException("tombstone instead of a page result");
            }
        } catch (RuntimeException e) {
            deadLetter(record, e);
            return;
        }
        collect(r);
    }

    private void collect(PageResult r) {
        PageTask task = r.getTask();
        String key = submissionKey(task);
        long now = context().currentSystemTimeMs();
        OpenDocument doc = open.get(key);
        if (doc == null) {
            doc = OpenDocument.newBuilder().setTask(task).setReceived(new ArrayList<>()).setFirstSeen(now).build();
        }
        int n = task.getPageNumber();
        if (doc.getClosedAt() != null || doc.getReceived().contains(n)) {
            log.info("dropping page {} of {}: {}", n, key, doc.getClosedAt() != null ? "document already emitted" : "duplicate");
            return;
        }
        pages.put(pageKey(key, n), r.getPage());
        doc.getReceived().add(n);
        if (doc.getReceived().size() >= task.getPageCount()) {
            emit(key, doc, now);
        } else {
            open.put(key, doc);
        }
    }

    private void emit(String key, OpenDocument doc, long now) {
        PageTask task = doc.getTask();
        List<DocumentPage> inOrder = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        for (int p = 1; p <= task.getPageCount(); p++) {
            DocumentPage page = pages.delete(pageKey(key, p));
            if (page == null) {
                missing.add(p);
            } else {
                inOrder.add(page);
            }
        }
        boolean failed = inOrder.stream().anyMatch(p -> p.getMethod() == PageMethod.FAILED);
        String status = !missing.isEmpty() ? "TIMED_OUT" : failed ? "PARTIAL" : "COMPLETE";
        AssembledDocument out = AssembledDocument.newBuilder().setDoc(task.getDoc()).setPageCount(task.getPageCount())
                .setTitle(task.getTitle()).setMetadata(task.getMetadata()).setStatus(status).setPages(inOrder)
                .setMissingPages(missing).setSplitMs(task.getSplitMs()).setFirstPageAt(doc.getFirstSeen())
                .setAssembledAt(now).build();
        byte[] k = task.getDoc().getDocId().getBytes(StandardCharsets.UTF_8);
        context().forward(new Record<>(k, documents.serializer().serialize(DocumentTopics.ASSEMBLED, out), now), "assemble-sink");
        open.put(key, OpenDocument.newBuilder(doc).setReceived(new ArrayList<>()).setClosedAt(now).build());
        log.info("assembled {} ({} pages, {}{})", key, task.getPageCount(), status,
                missing.isEmpty() ? "" : ", missing pages " + missing);
    }

    /** Emits documents past the timeout; forgets closed markers past another timeout. */
    private void closeExpired(long now) {
        List<KeyValue<String, OpenDocument>> due = new ArrayList<>();
        try (KeyValueIterator<String, OpenDocument> it = open.all()) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, OpenDocument> e : due) {
            OpenDocument d = e.value;
            if (d.getClosedAt() == null && now - d.getFirstSeen() >= timeoutMs) {
                log.warn("document {} timed out after {} ms with pages {} of {} in", e.key, now - d.getFirstSeen(),
                        d.getReceived().size(), d.getTask().getPageCount());
                emit(e.key, d, now);
            } else if (d.getClosedAt() != null && now - d.getClosedAt() >= timeoutMs) {
                open.delete(e.key);
            }
        }
    }

    private void deadLetter(Record<byte[], byte[]> record, RuntimeException e) {
        RecordMetadata m = context().recordMetadata().orElseThrow();
        log.warn("dead-lettering {}-{}@{}: {}", m.topic(), m.partition(), m.offset(), e.getMessage());
        ProducerRecord<byte[], byte[]> dl = DeadLetters.record(DocumentTopics.dlq(DocumentTopics.PAGE_RESULTS),
                new DeadLetters.Origin(m.topic(), m.partition(), m.offset(), record.key(), record.value(), record.headers()),
                AssembleTopology.NAME, new PermanentStageException("cannot decode page result: " + e.getMessage(), e), 1);
        context().forward(new Record<>(dl.key(), dl.value(), record.timestamp(), dl.headers()), "assemble-dlq");
    }

    static String submissionKey(PageTask t) {
        return t.getDoc().getDocId() + "@" + t.getDoc().getSubmittedAt();
    }

    static String pageKey(String submission, int page) {
        return String.format(Locale.ROOT, "%s|%06d", submission, page);
    }
}
