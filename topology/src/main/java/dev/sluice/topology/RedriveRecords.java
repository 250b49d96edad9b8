package dev.sluice.topology;

import dev.sluice.runtime.DeadLetters;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** The record a re-drive sends for a dead letter, and how a dead letter's reason reads. */
public final class RedriveRecords {
    /** How many times the record was re-driven, counting this one. */
    public static final String COUNT = "sluice.redrive.count";
    /** The dead letter it was re-driven from: {@code <dlq>:<partition>:<offset>}. */
    public static final String FROM = "sluice.redrive.from";

    private RedriveRecords() {
    }

    /**
     * The record that puts {@code dead} back on {@code topic}: its key and value, its headers without
     * {@code sluice.errors.*}, {@value #COUNT} one more than the dead letter had (1 when it had none)
     * and {@value #FROM}. The partition is left to the producer, so the key places it as before.
     */
    public static ProducerRecord<byte[], byte[]> resend(ConsumerRecord<byte[], byte[]> dead, String topic) {
        RecordHeaders headers = new RecordHeaders();
        int count = 0;
        for (Header h : dead.headers()) {
            if (h.key().equals(COUNT)) {
                count = parseCount(h.value());
            } else if (!h.key().startsWith(DeadLetters.PREFIX) && !h.key().equals(FROM)) {
                headers.add(h);
            }
        }
        headers.add(COUNT, bytes(Integer.toString(count + 1)));
        headers.add(FROM, bytes(dead.topic() + ":" + dead.partition() + ":" + dead.offset()));
        return new ProducerRecord<>(topic, null, dead.key(), dead.value(), headers);
    }

    /** The dead letter's exception message; empty when it has none. */
    public static String message(ConsumerRecord<byte[], byte[]> dead) {
        String m = DeadLetters.header(dead.headers(), DeadLetters.MESSAGE);
        return m == null ? "" : m;
    }

    /** {@code IOException: truncated body}: the exception's simple class name and message. */
    public static String describe(ConsumerRecord<byte[], byte[]> dead) {
        String cls = DeadLetters.header(dead.headers(), DeadLetters.CLASS);
        String simple = cls == null ? "unknown error" : cls.substring(cls.lastIndexOf('.') + 1);
        return simple + ": " + message(dead);
    }

    private static int parseCount(byte[] value) {
        try {
            return value == null ? 0 : Integer.parseInt(new String(value, StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
