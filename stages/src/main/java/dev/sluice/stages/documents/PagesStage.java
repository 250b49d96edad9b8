package dev.sluice.stages.documents;

import dev.sluice.blob.BlobStore;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.documents.DocumentPage;
import dev.sluice.schemas.documents.DocumentTopics;
import dev.sluice.schemas.documents.PageResult;
import dev.sluice.schemas.documents.PageTask;
import dev.sluice.stage.Output;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import dev.sluice.stage.Stage;
import dev.sluice.stage.StageContext;
import dev.sluice.stage.Scaling;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageProvider;
import dev.sluice.stage.StageRecord;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pages: reads each {@link PageTask} (text layer or OCR, plus images) into a {@link PageResult}
 * keyed by doc id. The expensive stage: it runs in the transactional loop with
 * {@code ocr.threads} threads, and scales further by partitions and replicas. Each thread keeps
 * its own {@link PageReader} (one Tesseract handle, reused) and its own open {@code PDDocument}
 * (cached by doc id, since consecutive pages of a document tend to reach the same thread).
 * A page that cannot be read is dead-lettered to {@code sluice.documents.pages.dlq}, where the
 * assembler picks it up and marks it failed. A page whose text extraction, image extraction or
 * rendering passes its time limit leaves that work running on an abandoned thread: the thread's
 * document is closed at once (which usually makes the abandoned work fail fast) and the next page
 * opens the document afresh, so no two threads ever share one.
 */
public final class PagesStage implements Stage<String, PageTask, String, PageResult>, StageProvider {
    public static final String NAME = "pages";
    private static final Logger log = LoggerFactory.getLogger(PagesStage.class);

    private final Queue<Worker> workers = new ConcurrentLinkedQueue<>();
    private ThreadLocal<Worker> local;
    private DocumentsConfig config;
    private BlobStore blobs;

    @Override
    public StageDefinition<String, PageTask, String, PageResult> definition() {
        return StageDefinition.<String, PageTask, String, PageResult>builder(NAME)
                .input(DocumentTopics.PAGES, Serdes.String(), new AvroSerde<>(PageTask.class))
                .output(DocumentTopics.PAGE_RESULTS, Serdes.String(), new AvroSerde<>(PageResult.class))
                .stage(PagesStage::new)
                .uses(StageDefinition.Use.BLOB_STORE)
                .config(DocumentsConfig.CONFIG, DocumentsConfig::of)
                .concurrency(c -> c.getInt(DocumentsConfig.OCR_THREADS_CONFIG))
                .maxPollRecords(c -> c.getInt(DocumentsConfig.PAGES_MAX_POLL_CONFIG))
                .scaling(Scaling.DEFAULT.lagThreshold(30).oneCorePerReplica())
                .worstCaseRecordTime(c -> java.time.Duration.ofMillis(((DocumentsConfig) c).worstCasePageMillis())
                        .plus(dev.sluice.runtime.RetryPolicy.DEFAULT.maxElapsed()))
                .build();
    }

    @Override
    public void init(StageContext context) {
        this.config = DocumentsConfig.of(context.config());
        this.blobs = config.blobStore();
        this.local = ThreadLocal.withInitial(() -> {
            Worker w = new Worker(new PageReader(config, blobs));
            workers.add(w);
            return w;
        });
    }

    @Override
    public void process(StageRecord<String, PageTask> record, Output<String, PageResult> out) throws Exception {
        PageTask task = record.value();
        if (task == null) {
            throw new PermanentStageException("tombstone: a page task is required");
        }
        Worker w = local.get();
        PDDocument pdf = w.open(task, blobs);
        DocumentPage page;
        try {
            page = w.reader.read(pdf, task.getPageNumber());
        } catch (PageWatchdog.PageTimeoutException | InterruptedException e) {
            w.closeDocument();
            throw e;
        }
        log.debug("read page {}/{} of {} by {}", task.getPageNumber(), task.getPageCount(), task.getDoc().getDocId(),
                page.getMethod());
        out.emit(task.getDoc().getDocId(), PageResult.newBuilder().setTask(task).setPage(page).build());
    }

    @Override
    public void close() {
        Worker w;
        while ((w = workers.poll()) != null) {
            w.close();
        }
    }

    /** One thread's reader and open document. */
    private static final class Worker implements AutoCloseable {
        final PageReader reader;
        String docId;
        PDDocument pdf;

        Worker(PageReader reader) {
            this.reader = reader;
        }

        PDDocument open(PageTask task, BlobStore blobs) throws Exception {
            String id = task.getDoc().getDocId();
            if (pdf != null && id.equals(docId)) {
                return pdf;
            }
            closeDocument();
            byte[] bytes;
            try {
                bytes = blobs.get(task.getDoc().getBlob());
            } catch (NoSuchFileException e) {
                throw new RetriableStageException("blob " + task.getDoc().getBlob() + " is not in the blob store", e);
            }
            pdf = PdfLoader.open(bytes);
            docId = id;
            return pdf;
        }

        void closeDocument() {
            if (pdf != null) {
                try {
                    pdf.close();
                } catch (IOException | RuntimeException e) {
                    log.debug("closing document {}: {}", docId, e.toString());
                }
                pdf = null;
                docId = null;
            }
        }

        @Override
        public void close() {
            closeDocument();
            reader.close();
        }
    }
}
