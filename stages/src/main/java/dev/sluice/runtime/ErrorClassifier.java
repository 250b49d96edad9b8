package dev.sluice.runtime;

import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Sorts failures into retriable and permanent. Explicit stage exceptions win; otherwise transient
 * I/O, timeouts and Kafka's own retriable errors are retriable and everything else (bad data,
 * programming errors) is permanent, so a poison record is dead-lettered instead of retried forever.
 */
public final class ErrorClassifier {

    private ErrorClassifier() {
    }

    public static boolean isRetriable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof PermanentStageException) {
                return false;
            }
            if (t instanceof RetriableStageException || t instanceof HttpTimeoutException
                    || t instanceof TimeoutException || t instanceof RetriableException) {
                return true;
            }
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                return !(t instanceof java.io.CharConversionException);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
