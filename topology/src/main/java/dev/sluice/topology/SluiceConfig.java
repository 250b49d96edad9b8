package dev.sluice.topology;

import dev.sluice.stage.Names;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of a Sluice process: where Kafka and PostgreSQL are, which stages run, and how the
 * runtime batches and commits. Kafka client settings (SASL, TLS) pass through with the prefix
 * {@value #KAFKA_PREFIX}, e.g. {@code kafka.security.protocol=SASL_SSL}.
 */
public final class SluiceConfig extends AbstractConfig {
    public static final String KAFKA_PREFIX = "kafka.";

    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    public static final String BOOTSTRAP_SERVERS_DOC = "Kafka cluster to use; empty starts the embedded single-node KRaft broker under data.dir/kafka.";
    public static final String DB_URL_CONFIG = "db.url";
    public static final String DB_URL_DOC = "PostgreSQL JDBC URL of the sinks; empty starts the embedded PostgreSQL under data.dir/pg.";
    public static final String DATA_DIR_CONFIG = "data.dir";
    public static final String DATA_DIR_DOC = "Where embedded services and Kafka Streams state live.";
    public static final String STAGES_CONFIG = "stages";
    public static final String STAGES_DOC = "Stages this process runs (a Kubernetes Deployment runs one); empty runs them all.";
    public static final String TOPIC_PREFIX_CONFIG = "topic.prefix";
    public static final String TOPIC_PREFIX_DOC = "Prepended to every name this deployment puts on the broker, so several deployments (or test runs)"
            + " share one Kafka cluster without seeing each other: topics (`it1.` makes sluice.hn.items `it1.sluice.hn.items`,"
            + " its dead letters `it1.sluice.hn.items.dlq`), consumer groups and Kafka Streams application ids (`it1.sluice-fetch`),"
            + " transactional and client ids. Every process of a deployment (run, status, dlq, topics, ingest, lag-exporter,"
            + " k8s generate) must be given the same one. Empty keeps the unprefixed names. Schema subjects stay `<topic>-value`"
            + " of the unprefixed topic, shared by every deployment of a registry.";
    public static final String PARTITIONS_CONFIG = "topic.partitions";
    public static final String PARTITIONS_DOC = "Partitions of each created topic, at start or by `./sluice topics create` (the most replicas a stage can use).";
    public static final String REPLICATION_CONFIG = "topic.replication.factor";
    public static final String REPLICATION_DOC = "Replication factor of created topics; -1 takes the broker's default.";
    public static final String TOPICS_CREATE_ON_START_CONFIG = "topics.create.on.start";
    public static final String TOPICS_CREATE_ON_START_DOC = "Create missing topics when run starts (the embedded, local case). Set false where the"
            + " stages' principals may not create topics (Kubernetes): create them beforehand with `./sluice topics create`;"
            + " run then fails at start naming any topic of its stages that is missing.";
    public static final String DLQ_RETENTION_MS_CONFIG = "topic.dlq.retention.ms";
    public static final String DLQ_RETENTION_MS_DOC = "retention.ms of created dead-letter topics (default 30 days); -1 keeps dead letters forever.";
    public static final long DLQ_RETENTION_MS_DEFAULT = 30L * 24 * 60 * 60 * 1000;
    public static final String INSTANCE_ID_CONFIG = "instance.id";
    public static final String INSTANCE_ID_DOC = "Stable id of this process; part of transactional ids and static group membership, so a restarted instance with the same id fences its predecessor at once. Default: on Kubernetes the pod name (stable for a StatefulSet pod), elsewhere the host name plus a tag of the absolute data.dir, so two processes on one host with different data dirs never fence each other.";
    public static final String COMMIT_INTERVAL_MS_CONFIG = "streams.commit.interval.ms";
    public static final String COMMIT_INTERVAL_MS_DOC = "Kafka Streams commit (transaction) interval of Streams stages.";
    public static final String METRICS_PORT_CONFIG = "metrics.port";
    public static final String METRICS_PORT_DOC = "Port of /metrics (Prometheus), /healthz and /readyz, on all interfaces; 0 serves none.";
    public static final String METRICS_LAG_INTERVAL_MS_CONFIG = "metrics.lag.interval.ms";
    public static final String METRICS_LAG_INTERVAL_MS_DOC = "How often the exported lag (sluice_stage_lag, /lag/<stage>) is read from Kafka.";
    public static final String LOG_PROGRESS_INTERVAL_MS_CONFIG = "log.progress.interval.ms";
    public static final String LOG_PROGRESS_INTERVAL_MS_DOC = "How often `sluice run` logs one progress line (per stage records in/out, dead letters, stalled partitions), when anything changed; 0 logs none.";

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.STRING, "", Importance.HIGH, BOOTSTRAP_SERVERS_DOC)
            .define(DB_URL_CONFIG, Type.PASSWORD, "", Importance.HIGH, DB_URL_DOC)
            .define(DATA_DIR_CONFIG, Type.STRING, "./data", Importance.MEDIUM, DATA_DIR_DOC)
            .define(STAGES_CONFIG, Type.LIST, "", Importance.HIGH, STAGES_DOC)
            .define(TOPIC_PREFIX_CONFIG, Type.STRING, "", Names.PREFIX_VALIDATOR, Importance.MEDIUM, TOPIC_PREFIX_DOC)
            .define(PARTITIONS_CONFIG, Type.INT, 8, Range.between(1, 10_000), Importance.MEDIUM, PARTITIONS_DOC)
            .define(REPLICATION_CONFIG, Type.SHORT, (short) -1, Importance.MEDIUM, REPLICATION_DOC)
            .define(TOPICS_CREATE_ON_START_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, TOPICS_CREATE_ON_START_DOC)
            .define(DLQ_RETENTION_MS_CONFIG, Type.LONG, DLQ_RETENTION_MS_DEFAULT, Range.atLeast(-1), Importance.LOW, DLQ_RETENTION_MS_DOC)
            .define(INSTANCE_ID_CONFIG, Type.STRING, "", Importance.MEDIUM, INSTANCE_ID_DOC)
            .define(COMMIT_INTERVAL_MS_CONFIG, Type.LONG, 100L, Range.atLeast(10), Importance.LOW, COMMIT_INTERVAL_MS_DOC)
            .define(METRICS_PORT_CONFIG, Type.INT, 9400, Range.between(0, 65_535), Importance.MEDIUM, METRICS_PORT_DOC)
            .define(METRICS_LAG_INTERVAL_MS_CONFIG, Type.LONG, 5_000L, Range.between(100, 3_600_000), Importance.LOW,
                    METRICS_LAG_INTERVAL_MS_DOC)
            .define(LOG_PROGRESS_INTERVAL_MS_CONFIG, Type.LONG, 10_000L, Range.between(0, 3_600_000), Importance.LOW,
                    LOG_PROGRESS_INTERVAL_MS_DOC);

    public SluiceConfig(Map<?, ?> props) {
        super(CONFIG, props, false);
        List<String> unknown = getList(STAGES_CONFIG).stream().filter(s -> !StageCatalog.names().contains(s)).toList();
        if (!unknown.isEmpty()) {
            throw new ConfigException(STAGES_CONFIG + " names unknown stage(s) " + unknown + "; known: " + StageCatalog.names());
        }
    }

    /** The stages to run, in data-flow order. */
    public List<String> stages() {
        List<String> chosen = getList(STAGES_CONFIG);
        return StageCatalog.names().stream().filter(s -> chosen.isEmpty() || chosen.contains(s)).toList();
    }

    /** This deployment's physical names of topics, groups and ids ({@value #TOPIC_PREFIX_CONFIG}). */
    public Names names() {
        return Names.of(getString(TOPIC_PREFIX_CONFIG));
    }

    public String instanceId() {
        String id = getString(INSTANCE_ID_CONFIG);
        if (!id.isBlank()) {
            return id;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "local";
        }
        if (System.getenv("KUBERNETES_SERVICE_HOST") != null) {
            return host; // the pod name: stable across restarts of a StatefulSet's pod
        }
        // two processes on one host (different data dirs) must not share, and so fence, transactional ids
        return host + "-" + dataDirTag(java.nio.file.Path.of(getString(DATA_DIR_CONFIG)));
    }

    /** Eight hex digits of the data directory's absolute path: stable across restarts in the same place. */
    static String dataDirTag(java.nio.file.Path dataDir) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(dataDir.toAbsolutePath().normalize().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kafka client settings given with the {@value #KAFKA_PREFIX} prefix (SASL, TLS, ...). */
    public Map<String, Object> kafkaPassThrough() {
        return originalsWithPrefix(KAFKA_PREFIX);
    }
}
