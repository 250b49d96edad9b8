package dev.sluice.runtime;

import dev.sluice.stage.Names;
import dev.sluice.stage.StageDefinition;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.AbstractConfig;

/**
 * What the runtime hands a stage's factory: the process's settings and where Kafka, PostgreSQL and
 * local state are.
 *
 * @param originals        every setting of the process as given (database URL excluded)
 * @param clientProps      Kafka client properties (bootstrap servers and pass-through security settings)
 * @param instanceId       stable id of this process (the pod name on Kubernetes)
 * @param jdbcUrl          PostgreSQL, given only to stages whose definition {@code needsDatabase()}; else null
 * @param dataDir          where local data lives (blob folder, Streams state)
 * @param commitIntervalMs Kafka Streams commit interval
 * @param replication      replication factor of Streams internal topics; -1 for the broker default
 * @param names            this deployment's physical names (its {@code topic.prefix}) of topics, groups and ids
 */
public record StageEnvironment(Map<String, Object> originals, Map<String, Object> clientProps, String instanceId,
                               String jdbcUrl, Path dataDir, long commitIntervalMs, short replication, Names names) {

    /** Setting under which stages find {@link #dataDir}. */
    public static final String DATA_DIR = "data.dir";

    public StageEnvironment {
        originals = Map.copyOf(originals);
        clientProps = Map.copyOf(clientProps);
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(names, "names");
    }

    /** Kafka Streams state of this process. */
    public Path stateDir() {
        return dataDir.resolve("streams");
    }

    /** The same environment for {@code def}: the database URL only when it needs one. */
    public StageEnvironment forStage(StageDefinition<?, ?, ?, ?> def) {
        return def.needsDatabase() ? this : new StageEnvironment(originals, clientProps, instanceId, null, dataDir,
                commitIntervalMs, replication, names);
    }

    /**
     * What {@code Stage.init} sees: every setting as given, the stage's own parsed with their
     * defaults, and {@value #DATA_DIR}. Throws {@code ConfigException} naming a bad setting.
     */
    public Map<String, Object> stageConfig(StageDefinition<?, ?, ?, ?> def) {
        Map<String, Object> m = new HashMap<>(originals);
        m.values().removeIf(Objects::isNull);
        def.parse(originals).values().forEach((k, v) -> {
            if (v != null) {
                m.put(k, v);
            }
        });
        m.put(DATA_DIR, dataDir.toString());
        return Map.copyOf(m);
    }

    /** The stage's settings, parsed and validated. */
    public AbstractConfig config(StageDefinition<?, ?, ?, ?> def) {
        return def.parse(originals);
    }
}
