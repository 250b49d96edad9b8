package dev.sluice.stage;

/** Where a {@link Stage} emits its results; every emitted record goes to the stage's output topic. */
@FunctionalInterface
public interface Output<K, V> {

    /** Emits one record. Records are written in the order emitted, within the input's transaction. */
    void emit(K key, V value);
}
