package dev.sluice.stage;

import java.util.Map;
import java.util.Optional;

/**
 * What a stage sees of its runtime at {@link Stage#init}.
 *
 * @param stageName   the stage's name (also its consumer group suffix and MDC {@code stage})
 * @param instanceId  this process's instance id (pod name on Kubernetes)
 * @param config      every setting of the process, the stage's own validated against its {@code ConfigDef}
 *                    and completed with their defaults
 * @param jdbcUrl     PostgreSQL, for a stage whose definition {@code needsDatabase()}; else null
 */
public record StageContext(String stageName, String instanceId, Map<String, Object> config, String jdbcUrl) {

    /** A context without a database. */
    public StageContext(String stageName, String instanceId, Map<String, Object> config) {
        this(stageName, instanceId, config, null);
    }

    /** The database URL; fails with what to set when the stage was not given one. */
    public String requireJdbcUrl() {
        return Optional.ofNullable(jdbcUrl).orElseThrow(() -> new IllegalStateException("stage " + stageName
                + " needs PostgreSQL: declare needsDatabase() in its definition and set db.url"));
    }
}
