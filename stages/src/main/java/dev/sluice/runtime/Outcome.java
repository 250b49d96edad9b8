package dev.sluice.runtime;

import java.util.List;

/**
 * The result of running a stage on one record, after retries: either the outputs of the
 * successful attempt, or the last error (the record then goes to the dead-letter topic).
 */
public record Outcome<K, V>(List<Emitted<K, V>> outputs, Throwable error, int attempts) {

    /** One output record. */
    public record Emitted<K, V>(K key, V value) {
    }

    public static <K, V> Outcome<K, V> success(List<Emitted<K, V>> outputs, int attempts) {
        return new Outcome<>(List.copyOf(outputs), null, attempts);
    }

    public static <K, V> Outcome<K, V> failure(Throwable error, int attempts) {
        return new Outcome<>(List.of(), error, attempts);
    }

    public boolean failed() {
        return error != null;
    }
}
