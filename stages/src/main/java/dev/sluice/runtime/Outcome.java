package dev.sluice.runtime;

import java.util.List;

/**
 * The result of running a stage on one record, after retries: either the outputs of the
 * successful attempt, or the last error (the record then goes to the dead-letter topic).
 */
public record Outcome<K, V>(List<Emitted<K, V>> outputs, Throwable error, int attempts, int repeats) {

    /** One output record. */
    public record Emitted<K, V>(K key, V value) {
    }

    public static <K, V> Outcome<K, V> success(List<Emitted<K, V>> outputs, int attempts) {
        return new Outcome<>(List.copyOf(outputs), null, attempts, 0);
    }

    public static <K, V> Outcome<K, V> failure(Throwable error, int attempts) {
        return failure(error, attempts, 1);
    }

    /** A failure whose last {@code repeats} attempts failed identically (same class and message). */
    public static <K, V> Outcome<K, V> failure(Throwable error, int attempts, int repeats) {
        return new Outcome<>(List.of(), error, attempts, repeats);
    }

    public boolean failed() {
        return error != null;
    }
}
