package dev.sluice.stage;

import java.util.Map;

/**
 * What a stage sees of its runtime at {@link Stage#init}.
 *
 * @param stageName   the stage's name (also its consumer group suffix and MDC {@code stage})
 * @param instanceId  this process's instance id (pod name on Kubernetes)
 * @param config      the stage's configuration, already validated against its {@code ConfigDef}
 */
public record StageContext(String stageName, String instanceId, Map<String, Object> config) {
}
