package dev.sluice.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.runtime.DeadLetters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RedriveRecordsTest {

    @Test
    void shouldResendKeyValueAndOwnHeadersWithoutTheErrorHeaders() {
        RecordHeaders own = new RecordHeaders();
        own.add("trace", bytes("t-1"));
        ProducerRecord<byte[], byte[]> resent = RedriveRecords.resend(dead(own, 7, 12), "sluice.hn.item-ids");

        assertThat(resent.topic()).isEqualTo("sluice.hn.item-ids");
        assertThat(resent.partition()).as("the key places it").isNull();
        assertThat(text(resent.key())).isEqualTo("k");
        assertThat(text(resent.value())).isEqualTo("v");
        assertThat(DeadLetters.header(resent.headers(), "trace")).isEqualTo("t-1");
        assertThat(resent.headers()).noneMatch(h -> h.key().startsWith(DeadLetters.PREFIX));
        assertThat(DeadLetters.header(resent.headers(), RedriveRecords.COUNT)).isEqualTo("1");
        assertThat(DeadLetters.header(resent.headers(), RedriveRecords.FROM)).isEqualTo("sluice.hn.item-ids.dlq:7:12");
    }

    @Test
    void shouldIncrementTheCountAndReplaceTheOriginOfARecordRedrivenBefore() {
        RecordHeaders own = new RecordHeaders();
        own.add(RedriveRecords.COUNT, bytes("2"));
        own.add(RedriveRecords.FROM, bytes("sluice.hn.item-ids.dlq:0:3"));
        Headers h = RedriveRecords.resend(dead(own, 1, 40), "sluice.hn.item-ids").headers();

        assertThat(h.headers(RedriveRecords.COUNT)).hasSize(1);
        assertThat(DeadLetters.header(h, RedriveRecords.COUNT)).isEqualTo("3");
        assertThat(h.headers(RedriveRecords.FROM)).hasSize(1);
        assertThat(DeadLetters.header(h, RedriveRecords.FROM)).isEqualTo("sluice.hn.item-ids.dlq:1:40");
    }

    @Test
    void shouldDescribeTheReasonByTheExceptionsSimpleNameAndMessage() {
        assertThat(RedriveRecords.describe(dead(new RecordHeaders(), 0, 0))).isEqualTo("IOException: truncated body");
    }

    /** A dead letter as a stage writes it, read back from {@code partition}@{@code offset} of the DLQ. */
    private static ConsumerRecord<byte[], byte[]> dead(Headers own, int partition, long offset) {
        ProducerRecord<byte[], byte[]> p = DeadLetters.record("sluice.hn.item-ids.dlq", new DeadLetters.Origin(
                "sluice.hn.item-ids", 3, 99, bytes("k"), bytes("v"), own), "fetch", new IOException("truncated body"), 2);
        return new ConsumerRecord<>(p.topic(), partition, offset, 0L, TimestampType.CREATE_TIME, 1, 1, p.key(), p.value(),
                p.headers(), Optional.empty());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
