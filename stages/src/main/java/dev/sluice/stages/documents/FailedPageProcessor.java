package dev.sluice.stages.documents;

import dev.sluice.runtime.DeadLetters;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.documents.DocumentPage;
import dev.sluice.schemas.documents.DocumentTopics;
import dev.sluice.schemas.documents.PageMethod;
import dev.sluice.schemas.documents.PageResult;
import dev.sluice.schemas.documents.PageTask;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a page task the pages stage dead-lettered into a FAILED page result carrying the
 * dead-letter reason ({@code sluice.errors.exception.message}), keyed by doc id like every page result.
 */
final class FailedPageProcessor extends ContextualProcessor<byte[], byte[], byte[], byte[]> {
    private static final Logger log = LoggerFactory.getLogger(FailedPageProcessor.class);
    private final AvroSerde<PageTask> tasks = new AvroSerde<>(PageTask.class);
    private final AvroSerde<PageResult> results = new AvroSerde<>(PageResult.class);

    @Override
    public void process(Record<byte[], byte[]> record) {
        PageTask task;
        try {
            task = tasks.deserializer().deserialize(DocumentTopics.dlq(DocumentTopics.PAGES), record.value());
        } catch (RuntimeException e) {
            task = null;
        }
        if (task == null) {
            String where = context().recordMetadata().map(FailedPageProcessor::origin).orElse("?");
            log.warn("skipping {}: not a page task, cannot mark a page failed", where);
            return;
        }
        String reason = DeadLetters.header(record.headers(), DeadLetters.MESSAGE);
        DocumentPage page = DocumentPage.newBuilder().setPageNumber(task.getPageNumber()).setMethod(PageMethod.FAILED)
                .setFailure(reason == null ? "dead-lettered by the pages stage" : reason).build();
        byte[] value = results.serializer().serialize(DocumentTopics.PAGE_RESULTS,
                PageResult.newBuilder().setTask(task).setPage(page).build());
        context().forward(record.withKey(task.getDoc().getDocId().getBytes(StandardCharsets.UTF_8)).withValue(value));
    }

    static String origin(RecordMetadata m) {
        return m.topic() + "-" + m.partition() + "@" + m.offset();
    }
}
