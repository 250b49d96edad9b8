package dev.sluice.runtime;

import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Sorts failures into retriable and permanent. Explicit stage exceptions win; otherwise transient
 * I/O, timeouts and Kafka's own retriable errors are retriable and everything else (bad data,
 * programming errors, JSON that does not parse) is permanent, so a poison record is dead-lettered instead of retried forever.
 */
public final class ErrorClassifier {

    private ErrorClassifier() {
    }

    /**
     * True for failures of the world rather than of the record: connection errors, timeouts, an
     * {@link dev.sluice.stage.UnavailableException} (429, 5xx, open breaker), Kafka's retriable
     * errors and an unreachable schema registry. The loop stalls on these for as long as they last
     * and never dead-letters them.
     */
    public static boolean isOutage(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof PermanentStageException || t instanceof JsonProcessingException) {
                return false;
            }
            if (t instanceof dev.sluice.stage.UnavailableException || t instanceof HttpTimeoutException
                    || t instanceof TimeoutException || t instanceof RetriableException
                    || t instanceof dev.sluice.schemas.registry.SchemaRegistryException
                    || t instanceof java.net.ConnectException || t instanceof java.net.SocketException
                    || t instanceof java.net.http.HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code error} or one of its causes is an interruption (the stage is stopping). */
    public static boolean isInterruption(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            if (ConsumerLoop.isInterruption(t)) {
                return true;
            }
        }
        return false;
    }

    public static boolean isRetriable(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof PermanentStageException || t instanceof JsonProcessingException) {
                return false;
            }
            if (t instanceof dev.sluice.schemas.registry.SchemaRegistryException) {
                return true;
            }
            if (t instanceof RetriableStageException || t instanceof HttpTimeoutException
                    || t instanceof TimeoutException || t instanceof RetriableException) {
                return true;
            }
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                return !(t instanceof java.io.CharConversionException);
            }
        }
        return false;
    }
}
