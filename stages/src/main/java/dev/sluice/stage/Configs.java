package dev.sluice.stage;

import org.apache.kafka.common.config.ConfigDef;

/** Helpers for stage {@link ConfigDef}s. */
public final class Configs {

    private Configs() {
    }

    /** One definition holding every key of {@code defs} (a key defined twice keeps its first definition). */
    public static ConfigDef merge(ConfigDef... defs) {
        ConfigDef merged = new ConfigDef();
        for (ConfigDef d : defs) {
            for (ConfigDef.ConfigKey k : d.configKeys().values()) {
                if (!merged.configKeys().containsKey(k.name)) {
                    merged.define(k);
                }
            }
        }
        return merged;
    }
}
