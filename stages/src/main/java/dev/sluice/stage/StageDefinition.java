package dev.sluice.stage;

import dev.sluice.runtime.RetryPolicy;
import dev.sluice.runtime.RunningStage;
import dev.sluice.runtime.StageEnvironment;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.serialization.Serde;

/**
 * The single source of truth about one stage: its name, topics and serdes, how it retries and
 * batches, how it scales, its settings and whether it needs the database. Everything else is derived
 * from the definitions that {@link StageProvider}s contribute: the topics created at start (with
 * their {@code .dlq}), the {@code --stages} help, the settings reference and start-up validation,
 * {@code status}, the lag exporter and the Kubernetes manifests.
 *
 * <p>A definition has one of three kinds, which chooses its runtime:
 * <ul>
 *   <li>{@link Kind#STATELESS} ({@link StageBuilder#stage}): a {@link Stage} that maps one record at a time.
 *       It always runs in the transactional consume-process-produce loop, {@link #concurrency} records
 *       at once, with exactly-once v2, retries, stalls on outages and dead-lettering around it.</li>
 *   <li>{@link Kind#STATEFUL} ({@link StageBuilder#stateful}): a Kafka Streams topology with state stores,
 *       run as application {@code sluice-<name>} with {@code exactly_once_v2}.</li>
 *   <li>{@link Kind#CUSTOM} ({@link StageBuilder#runtime}): anything else that consumes as group
 *       {@code sluice-<name>} (the PostgreSQL sinks, the watermark's poller plus topology).</li>
 * </ul>
 *
 * <p>Topics are <em>logical</em> names; a deployment's {@link Names} (its {@code topic.prefix}) gives
 * the physical ones at every Kafka boundary.
 *
 * <p>Config-dependent values ({@link #concurrency}, {@link #maxPollRecords}, {@link #retryPolicy})
 * are functions of the stage's parsed {@link #configDef}, resolved when the stage starts.
 */
public final class StageDefinition<KI, VI, KO, VO> {

    /** How the runtime hosts a stage. */
    public enum Kind { STATELESS, STATEFUL, CUSTOM }

    /**
     * What a stage reaches besides its own topics, the schema registry and (when it
     * {@link #needsDatabase}) PostgreSQL. The deployment grants exactly these: the Kubernetes
     * manifests derive each stage's credentials, network egress and broker ACLs from them.
     */
    public enum Use {
        /** Runs a Kafka Streams application {@code sluice-<name>} (internal topics, groups and transactional ids under that prefix); implied by {@link StageBuilder#stateful}. */
        KAFKA_STREAMS,
        /** Reads or writes the blob store (PDF bytes, page images). */
        BLOB_STORE,
        /** Calls the LLM endpoint ({@code llm.base.url}) with its API key. */
        LLM,
        /** Calls the Hacker News API ({@code hn.base.url}, https). */
        HN_API,
        /** Fetches from any public web server (http and https): the links it follows. */
        WEB
    }

    private final StageBuilder<KI, VI, KO, VO> b;

    StageDefinition(StageBuilder<KI, VI, KO, VO> b) {
        this.b = b;
        Objects.requireNonNull(b.kind, () -> "stage " + b.name + " needs stage(...), stateful(...) or runtime(...)");
        if (b.inputs.isEmpty()) {
            throw new IllegalArgumentException("stage " + b.name + " needs an input topic");
        }
        if (b.kind == Kind.STATELESS) {
            Objects.requireNonNull(b.inValueSerde, () -> "stage " + b.name + " needs input serdes");
            Objects.requireNonNull(b.outValueSerde, () -> "stage " + b.name + " needs output serdes");
        }
    }

    /** Starts a definition; {@code name} is lower-case words joined by '-', e.g. {@code fetch}. */
    public static <KI, VI, KO, VO> StageBuilder<KI, VI, KO, VO> builder(String name) {
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("stage name must match [a-z][a-z0-9-]*: " + name);
        }
        return new StageBuilder<>(name);
    }

    public String name() { return b.name; }
    public Kind kind() { return b.kind; }
    /** The main input topic (its lag scales the stage). */
    public String inputTopic() { return b.inputs.get(0); }
    /** Every topic the stage consumes, {@link #inputTopic} first. */
    public List<String> inputTopics() { return List.copyOf(b.inputs); }
    /** The main output topic, or {@code ""} for a stage that writes outside Kafka. */
    public String outputTopic() { return b.outputs.isEmpty() ? "" : b.outputs.get(0); }
    /** Every topic the stage writes (dead-letter topic excluded). */
    public List<String> outputTopics() { return List.copyOf(b.outputs); }
    /** The logical dead-letter topic, {@code <input topic>.dlq}; physical names come from {@link Names}. */
    public String deadLetterTopic() { return Names.logicalDlq(inputTopic()); }
    /** The stage's consumer group (and Streams application id) under {@code names}. */
    public String groupId(Names names) { return names.groupId(b.name); }
    /** Name of the stage's Kubernetes workload and objects, {@code sluice-<name>} in every deployment (one per namespace). */
    public String workloadName() { return Names.GROUP_PREFIX + b.name; }
    public Serde<KI> inKeySerde() { return b.inKeySerde; }
    public Serde<VI> inValueSerde() { return b.inValueSerde; }
    public Serde<KO> outKeySerde() { return b.outKeySerde; }
    public Serde<VO> outValueSerde() { return b.outValueSerde; }
    public Scaling scaling() { return b.scaling; }
    public ConfigDef configDef() { return b.configDef; }
    public boolean needsDatabase() { return b.needsDatabase; }
    /** Everything this stage reaches besides its topics, the registry and the database. */
    public Set<Use> uses() {
        EnumSet<Use> u = b.uses.clone();
        if (b.kind == Kind.STATEFUL) {
            u.add(Use.KAFKA_STREAMS);
        }
        return Collections.unmodifiableSet(u);
    }
    /** True when this stage reaches {@code use}. */
    public boolean uses(Use use) { return uses().contains(use); }
    /** Kafka topic settings of the topics this stage writes (e.g. {@code max.message.bytes}). */
    public Map<String, Map<String, String>> topicConfigs() { return Map.copyOf(b.topicConfigs); }
    /** Largest record this stage writes; the producer's {@code max.request.size}. */
    public int maxRecordBytes() { return b.maxRecordBytes; }

    /** Records processed at once by one instance under {@code config}. */
    public int concurrency(AbstractConfig config) { return b.concurrency.applyAsInt(config); }
    /** Records per poll, and so per transaction, under {@code config}. */
    public int maxPollRecords(AbstractConfig config) { return b.maxPoll.applyAsInt(config); }
    /** Retries around one {@code process} call under {@code config}. */
    public RetryPolicy retryPolicy(AbstractConfig config) { return b.retry.apply(config); }
    /** Longest one record may take, all its in-place retries included, under {@code config}. */
    public Duration worstCaseRecordTime(AbstractConfig config) { return b.worstCase.apply(config); }

    /** Concurrency under the defaults (what {@code TopologyTestDriver} tests and docs see). */
    public int concurrency() { return concurrency(parse(Map.of())); }

    /** This stage's settings parsed from {@code originals}; throws {@code ConfigException} naming a bad one. */
    public AbstractConfig parse(Map<?, ?> originals) {
        return b.configFactory.apply(originals);
    }

    /** A fresh stage instance (not yet initialised); stateless stages only. */
    public Stage<KI, VI, KO, VO> newStage() {
        if (b.kind != Kind.STATELESS) {
            throw new IllegalStateException("stage " + b.name + " is " + b.kind + ", not a per-record stage");
        }
        return b.supplier.get();
    }

    /** The Streams topology of a stateful stage. */
    public org.apache.kafka.streams.Topology topology(StageEnvironment env) {
        return b.topology.apply(env);
    }

    /** The running form of a custom stage. */
    public RunningStage customRuntime(StageEnvironment env) {
        return b.runtime.apply(env);
    }

    @Override
    public String toString() {
        return b.name + " (" + b.kind + ": " + b.inputs + " -> " + (b.outputs.isEmpty() ? "outside Kafka" : b.outputs) + ")";
    }
}
