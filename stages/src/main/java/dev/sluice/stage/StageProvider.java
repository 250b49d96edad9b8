package dev.sluice.stage;

/**
 * Contributes one stage to the pipeline. Implementations are discovered with {@link java.util.ServiceLoader}:
 * list the class in {@code META-INF/services/dev.sluice.stage.StageProvider} of its jar, and the stage
 * is created, run, shown by {@code status} and given Kubernetes manifests with nothing else to edit.
 *
 * <p>A per-record stage usually implements this interface itself (it needs a public no-argument
 * constructor, which must be cheap: discovery instantiates it once to read the definition).
 */
public interface StageProvider {

    /** The stage's definition; called once per process, before any configuration is read. */
    StageDefinition<?, ?, ?, ?> definition();
}
