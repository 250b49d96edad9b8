package dev.sluice.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class DeadLettersTest {
    private static final byte[] KEY = {1, 2, 3};
    private static final byte[] VALUE = "not what the stage wanted".getBytes(UTF_8);

    @Test
    void shouldCarryOriginStageErrorAttemptsAndRetriableFlagInHeaders() {
        RetriableStageException error = new RetriableStageException("HTTP 503", new IOException("reset by peer"));

        ProducerRecord<byte[], byte[]> dlq = DeadLetters.record("orders.dlq", origin(new RecordHeaders()), "enrich", error, 5);

        Headers h = dlq.headers();
        assertThat(dlq.topic()).isEqualTo("orders.dlq");
        assertThat(dlq.partition()).isNull();
        assertThat(DeadLetters.header(h, DeadLetters.TOPIC)).isEqualTo("orders");
        assertThat(DeadLetters.header(h, DeadLetters.PARTITION)).isEqualTo("3");
        assertThat(DeadLetters.header(h, DeadLetters.OFFSET)).isEqualTo("42");
        assertThat(DeadLetters.header(h, DeadLetters.STAGE)).isEqualTo("enrich");
        assertThat(DeadLetters.header(h, DeadLetters.CLASS)).isEqualTo(RetriableStageException.class.getName());
        assertThat(DeadLetters.header(h, DeadLetters.MESSAGE)).isEqualTo("HTTP 503");
        assertThat(DeadLetters.header(h, DeadLetters.CAUSE)).isEqualTo("java.io.IOException: reset by peer");
        assertThat(DeadLetters.header(h, DeadLetters.ATTEMPTS)).isEqualTo("5");
        assertThat(DeadLetters.header(h, DeadLetters.RETRIABLE)).isEqualTo("true");
        assertThat(Long.parseLong(DeadLetters.header(h, DeadLetters.TIMESTAMP))).isPositive();
    }

    @Test
    void shouldLogTheDeadLetterAtWarnWithItsOriginAndTheStageInTheMdc() {
        Logger logger = (Logger) LoggerFactory.getLogger(DeadLetters.class);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        try {
            DeadLetters.emit("orders.dlq", origin(new RecordHeaders()), "enrich", new PermanentStageException("HTTP 404"), 1);
        } finally {
            logger.detachAppender(seen);
        }

        assertThat(seen.list).hasSize(1);
        ILoggingEvent e = seen.list.get(0);
        assertThat(e.getLevel()).isEqualTo(Level.WARN);
        assertThat(e.getFormattedMessage()).contains("orders-3@42").contains("orders.dlq").contains("HTTP 404");
        assertThat(e.getMDCPropertyMap()).containsEntry("stage", "enrich");
        assertThat(MDC.get("stage")).as("the caller's MDC is left as it was").isNull();
    }

    @Test
    void shouldMarkPermanentErrorNotRetriableAndOmitAbsentCause() {
        ProducerRecord<byte[], byte[]> dlq = DeadLetters.record("orders.dlq", origin(new RecordHeaders()), "enrich",
                new PermanentStageException("HTTP 404"), 1);

        assertThat(DeadLetters.header(dlq.headers(), DeadLetters.RETRIABLE)).isEqualTo("false");
        assertThat(DeadLetters.header(dlq.headers(), DeadLetters.ATTEMPTS)).isEqualTo("1");
        assertThat(dlq.headers().lastHeader(DeadLetters.CAUSE)).isNull();
    }

    @Test
    void shouldUseExceptionClassNameWhenMessageIsNull() {
        ProducerRecord<byte[], byte[]> dlq = DeadLetters.record("orders.dlq", origin(new RecordHeaders()), "enrich",
                new NullPointerException(), 1);

        assertThat(DeadLetters.header(dlq.headers(), DeadLetters.MESSAGE)).isEqualTo("NullPointerException");
        assertThat(DeadLetters.header(dlq.headers(), DeadLetters.CLASS)).isEqualTo("java.lang.NullPointerException");
    }

    @Test
    void shouldKeepOriginalHeadersInOrder() {
        RecordHeaders original = new RecordHeaders();
        original.add("trace-id", "abc".getBytes(UTF_8));
        original.add("hop", "1".getBytes(UTF_8));
        original.add("hop", "2".getBytes(UTF_8));

        ProducerRecord<byte[], byte[]> dlq = DeadLetters.record("orders.dlq", origin(original), "enrich",
                new PermanentStageException("bad"), 1);

        List<String> nonError = new ArrayList<>();
        for (Header h : dlq.headers()) {
            if (!h.key().startsWith(DeadLetters.PREFIX)) {
                nonError.add(h.key() + "=" + new String(h.value(), UTF_8));
            }
        }
        assertThat(nonError).containsExactly("trace-id=abc", "hop=1", "hop=2");
    }

    @Test
    void shouldReplaceErrorHeadersOfAnEarlierDeadLetteringInsteadOfDuplicatingThem() {
        // a record replayed from a dead-letter topic and dead-lettered again
        ProducerRecord<byte[], byte[]> first = DeadLetters.record("orders.dlq", origin(new RecordHeaders()), "enrich",
                new RetriableStageException("first failure", new IOException("old cause")), 7);
        DeadLetters.Origin replayed = new DeadLetters.Origin("orders.dlq", 0, 9L, KEY, VALUE, first.headers());

        ProducerRecord<byte[], byte[]> second = DeadLetters.record("orders.dlq.dlq", replayed, "replay",
                new PermanentStageException("second failure"), 1);

        Headers h = second.headers();
        for (String key : List.of(DeadLetters.TOPIC, DeadLetters.PARTITION, DeadLetters.OFFSET, DeadLetters.STAGE,
                DeadLetters.CLASS, DeadLetters.MESSAGE, DeadLetters.RETRIABLE, DeadLetters.ATTEMPTS, DeadLetters.TIMESTAMP)) {
            assertThat(count(h, key)).as(key).isEqualTo(1);
        }
        assertThat(count(h, DeadLetters.CAUSE)).as("stale cause of the first failure").isZero();
        assertThat(DeadLetters.header(h, DeadLetters.TOPIC)).isEqualTo("orders.dlq");
        assertThat(DeadLetters.header(h, DeadLetters.STAGE)).isEqualTo("replay");
        assertThat(DeadLetters.header(h, DeadLetters.MESSAGE)).isEqualTo("second failure");
        assertThat(DeadLetters.header(h, DeadLetters.ATTEMPTS)).isEqualTo("1");
    }

    @Test
    void shouldKeepOriginalKeyAndValueBytes() {
        ProducerRecord<byte[], byte[]> dlq = DeadLetters.record("orders.dlq", origin(new RecordHeaders()), "enrich",
                new PermanentStageException("bad"), 1);

        assertThat(dlq.key()).containsExactly(KEY);
        assertThat(dlq.value()).containsExactly(VALUE);
    }

    @Test
    void shouldKeepNullKeyAndNullHeaders() {
        DeadLetters.Origin tombstone = new DeadLetters.Origin("orders", 0, 1L, null, null, null);

        ProducerRecord<byte[], byte[]> dlq = DeadLetters.record("orders.dlq", tombstone, "enrich",
                new PermanentStageException("bad"), 1);

        assertThat(dlq.key()).isNull();
        assertThat(dlq.value()).isNull();
        assertThat(DeadLetters.header(dlq.headers(), DeadLetters.TOPIC)).isEqualTo("orders");
    }

    @Test
    void shouldReadAbsentHeaderAsNull() {
        assertThat(DeadLetters.header(new RecordHeaders(), DeadLetters.STAGE)).isNull();
    }

    private static DeadLetters.Origin origin(Headers headers) {
        return new DeadLetters.Origin("orders", 3, 42L, KEY.clone(), VALUE.clone(), headers);
    }

    private static long count(Headers headers, String key) {
        return StreamSupport.stream(headers.headers(key).spliterator(), false).count();
    }
}
