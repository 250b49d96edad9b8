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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the page results of each submission of a document ({@code <doc id>@<submitted at>}) and
 * emits it once, pages in page order, when every page is in (failed pages included). All time is
 * stream time (the page results' record timestamps), never the wall clock, so a restart or a slow
 * broker cannot time out a document whose pages still exist: a stream-time punctuator emits a
 * document still open {@code documents.timeout.ms} after its first page as TIMED_OUT, naming the
 * missing pages. An emitted submission keeps a closed marker for {@code assemble.closed.retention.ms}
 * (the input topic's retention): a late page that is not in the emitted document is dead-lettered
 * with its reason, a duplicate of one that is is dropped; neither opens the document again.
 */
final class AssembleProcessor extends ContextualProcessor<byte[], byte[], byte[], byte[]> {
    private static final Logger log = LoggerFactory.getLogger(AssembleProcessor.class);
    private final AvroSerde<PageResult> results = new AvroSerde<>(PageResult.class);
    private final AvroSerde<AssembledDocument> documents = new AvroSerde<>(AssembledDocument.class);
    private final long timeoutMs;
    private final long checkMs;
    private final long closedRetentionMs;
    private KeyValueStore<String, OpenDocument> open;
    private KeyValueStore<String, DocumentPage> pages;
    private DueIndex due;

    AssembleProcessor(long timeoutMs, long checkMs, long closedRetentionMs) {
        this.timeoutMs = timeoutMs;
        this.checkMs = checkMs;
        this.closedRetentionMs = closedRetentionMs;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        super.init(context);
        open = context.getStateStore(AssembleTopology.OPEN_STORE);
        pages = context.getStateStore(AssembleTopology.PAGES_STORE);
        due = new DueIndex(context.getStateStore(AssembleTopology.DUE_STORE), timeoutMs, closedRetentionMs);
        if (due.isEmpty()) {
            due.scheduleAll(open);
        }
        context.schedule(Duration.ofMillis(checkMs), PunctuationType.STREAM_TIME, this::closeExpired);
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
            deadLetter(record, new PermanentStageException("cannot decode page result: " + e.getMessage(), e));
            return;
        }
        collect(record, r);
    }

    private void collect(Record<byte[], byte[]> record, PageResult r) {
        PageTask task = r.getTask();
        String key = submissionKey(task);
        long streamTime = Math.max(record.timestamp(), context().currentStreamTimeMs());
        OpenDocument doc = open.get(key);
        boolean opened = doc == null;
        if (opened) {
            doc = OpenDocument.newBuilder().setTask(task).setReceived(new ArrayList<>()).setFirstSeen(streamTime).build();
        }
        int n = task.getPageNumber();
        if (doc.getReceived().contains(n)) {
            log.debug("skipping {}: page {} of {} is a duplicate{}", context().recordMetadata()
                    .map(FailedPageProcessor::origin).orElse("?"), n, key, doc.getClosedAt() != null ? " of an emitted page" : "");
        } else if (doc.getClosedAt() != null) {
            deadLetter(record, new PermanentStageException(String.format(Locale.ROOT,
                    "page %d of document %s arrived after the document was closed at %s without it;"
                    + " it is not opened again", n, key, Instant.ofEpochMilli(doc.getClosedAt()))));
        } else {
            pages.put(pageKey(key, n), r.getPage());
            doc.getReceived().add(n);
            if (doc.getReceived().size() >= task.getPageCount()) {
                emit(key, doc, streamTime);
            } else {
                open.put(key, doc);
                if (opened) {
                    due.schedule(key, doc);
                }
            }
        }
    }

    private void emit(String key, OpenDocument doc, long streamTime) {
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
                .setAssembledAt(context().currentSystemTimeMs()).build();
        byte[] k = task.getDoc().getDocId().getBytes(StandardCharsets.UTF_8);
        context().forward(new Record<>(k, documents.serializer().serialize(DocumentTopics.ASSEMBLED, out), streamTime),
                "assemble-sink");
        // the marker keeps which pages were emitted, not the PDF's title and metadata: it lives for days
        PageTask slim = PageTask.newBuilder(task).setTitle(null).setMetadata(Map.of()).build();
        OpenDocument closed = OpenDocument.newBuilder(doc).setTask(slim).setClosedAt(streamTime).build();
        open.put(key, closed);
        due.schedule(key, closed);
        log.debug("assembled {} ({} pages, {}{})", key, task.getPageCount(), status,
                missing.isEmpty() ? "" : ", missing pages " + missing);
    }

    /** Emits documents past the timeout and forgets closed markers past their retention, at stream time {@code now}. */
    private void closeExpired(long now) {
        for (String key : due.takeDue(now)) {
            OpenDocument d = open.get(key);
            if (d == null) {
                continue;
            }
            if (!due.isDue(d, now)) {
                due.schedule(key, d);
            } else if (d.getClosedAt() == null) {
                log.warn("document {} timed out after {} ms of stream time with pages {} of {} in", key,
                        now - d.getFirstSeen(), d.getReceived().size(), d.getTask().getPageCount());
                emit(key, d, now);
            } else {
                log.debug("forgetting closed document {}", key);
                open.delete(key);
            }
        }
    }

    private void deadLetter(Record<byte[], byte[]> record, PermanentStageException reason) {
        DeadLetters.forward(context(), record, "assemble-dlq", DocumentTopics.dlq(DocumentTopics.PAGE_RESULTS),
                AssembleTopology.NAME, reason);
    }

    static String submissionKey(PageTask t) {
        return t.getDoc().getDocId() + "@" + t.getDoc().getSubmittedAt();
    }

    static String pageKey(String submission, int page) {
        return String.format(Locale.ROOT, "%s|%06d", submission, page);
    }
}
