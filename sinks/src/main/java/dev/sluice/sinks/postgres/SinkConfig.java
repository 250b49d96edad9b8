package dev.sluice.sinks.postgres;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of the PostgreSQL sinks. */
public final class SinkConfig {
    public static final String SINK_MAX_POLL_CONFIG = "sink.max.poll.records";
    public static final String SINK_MAX_POLL_DOC = "Records per database transaction of the sinks.";
    public static final String SINK_RETRY_MS_CONFIG = "sink.retry.max.elapsed.ms";
    public static final String SINK_RETRY_MS_DOC = "How long a sink retries a retriable database error before the process exits.";

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(SINK_MAX_POLL_CONFIG, Type.INT, 500, Range.between(1, 100_000), Importance.LOW, SINK_MAX_POLL_DOC)
            .define(SINK_RETRY_MS_CONFIG, Type.LONG, 300_000L, Range.atLeast(0), Importance.LOW, SINK_RETRY_MS_DOC);

    private SinkConfig() {
    }
}
