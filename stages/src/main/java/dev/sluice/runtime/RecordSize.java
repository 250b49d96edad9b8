package dev.sluice.runtime;

import dev.sluice.stage.PermanentStageException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Checks a record's size before it is sent, so an oversized output becomes a dead letter with a
 * clear reason instead of a failed transaction that replays (and fails) forever.
 */
final class RecordSize {
    /** Room for the record batch and record overheads inside the producer's limit. */
    static final int OVERHEAD = 1024;

    private RecordSize() {
    }

    /** Fails when key, value and headers exceed {@code limit} bytes (less the batch overhead). */
    static void check(String topic, byte[] key, byte[] value, Headers headers, int limit) {
        long size = sizeOf(key, value, headers);
        if (size > limit - OVERHEAD) {
            throw new OversizedRecordException("output of " + size + " bytes for " + topic + " exceeds the "
                    + (limit - OVERHEAD) + " bytes this stage may write (raise it with largeRecords(...) in its"
                    + " definition, and the topic's max.message.bytes)");
        }
    }

    static long sizeOf(byte[] key, byte[] value, Headers headers) {
        long size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        if (headers != null) {
            for (Header h : headers) {
                size += h.key().length() + (h.value() == null ? 0 : h.value().length);
            }
        }
        return size;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An output larger than the stage may write: permanent for its input record. */
    static final class OversizedRecordException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OversizedRecordException(String message) {
            super(message);
        }
    }
}
