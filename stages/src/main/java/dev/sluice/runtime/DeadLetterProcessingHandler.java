package dev.sluice.runtime;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code processing.exception.handler} of every Kafka Streams stage: an exception a processor
 * did not handle itself (a bug, an unforeseen input) dead-letters the source record to the stage's
 * dead-letter topic with the usual {@code sluice.errors.*} headers, inside the task's exactly-once
 * transaction, and the task goes on. Without it the stream thread would die on the record and a
 * restarted instance die on it again. The processors still dead-letter what they expect themselves.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
    /** Streams setting naming the stage (passed through to this handler). */
    public static final String STAGE_CONFIG = "sluice.stage.name";
    /** Streams setting naming the stage's dead-letter topic. */
    public static final String TOPIC_CONFIG = "sluice.stage.dead.letter.topic";

    private String stage;
    private String topic;

    @Override
    public void configure(Map<String, ?> configs) {
        stage = String.valueOf(configs.get(STAGE_CONFIG));
        topic = String.valueOf(configs.get(TOPIC_CONFIG));
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        log.error("stage {}: processor {} failed on {}-{}@{}; dead-lettering the record", stage,
                context.processorNodeId(), context.topic(), context.partition(), context.offset(), exception);
        DeadLetters.Origin origin = new DeadLetters.Origin(context.topic(), context.partition(), context.offset(),
                context.sourceRawKey(), context.sourceRawValue(), context.headers());
        return Response.resume(List.of(DeadLetters.emit(topic, origin, stage, exception, 1)));
    }
}
