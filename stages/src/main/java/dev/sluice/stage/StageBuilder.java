package dev.sluice.stage;

import dev.sluice.runtime.RetryPolicy;
import dev.sluice.runtime.RunningStage;
import dev.sluice.runtime.StageEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.serialization.Serde;

/**
 * Builds a {@link StageDefinition} ({@link StageDefinition#builder}): name, input and one of
 * {@link #stage} (per-record), {@link #stateful} (Kafka Streams) or {@link #runtime} (custom), then
 * the optional topics, settings, batching, retries, scaling and what the stage reaches.
 */
public final class StageBuilder<KI, VI, KO, VO> {
    final String name;
    StageDefinition.Kind kind;
    final List<String> inputs = new ArrayList<>();
    final List<String> outputs = new ArrayList<>();
    Serde<KI> inKeySerde;
    Serde<VI> inValueSerde;
    Serde<KO> outKeySerde;
    Serde<VO> outValueSerde;
    Supplier<? extends Stage<KI, VI, KO, VO>> supplier;
    Function<StageEnvironment, org.apache.kafka.streams.Topology> topology;
    Function<StageEnvironment, RunningStage> runtime;
    ToIntFunction<AbstractConfig> concurrency = c -> 1;
    ToIntFunction<AbstractConfig> maxPoll = c -> 100;
    Function<AbstractConfig, RetryPolicy> retry = c -> RetryPolicy.DEFAULT;
    Function<AbstractConfig, Duration> worstCase;
    Scaling scaling = Scaling.DEFAULT;
    ConfigDef configDef = new ConfigDef();
    Function<Map<?, ?>, ? extends AbstractConfig> configFactory = m -> new AbstractConfig(configDef, m, false);
    boolean needsDatabase;
    final EnumSet<StageDefinition.Use> uses = EnumSet.noneOf(StageDefinition.Use.class);
    final Map<String, Map<String, String>> topicConfigs = new java.util.HashMap<>();
    int maxRecordBytes = 1 << 20;

    StageBuilder(String name) {
        this.name = name;
    }

    /** The input topic of a per-record stage, with its serdes. */
    public StageBuilder<KI, VI, KO, VO> input(String topic, Serde<KI> keySerde, Serde<VI> valueSerde) {
        inputs.add(0, topic);
        this.inKeySerde = keySerde;
        this.inValueSerde = valueSerde;
        return this;
    }

    /** The output topic of a per-record stage, with its serdes. */
    public StageBuilder<KI, VI, KO, VO> output(String topic, Serde<KO> keySerde, Serde<VO> valueSerde) {
        outputs.add(0, topic);
        this.outKeySerde = keySerde;
        this.outValueSerde = valueSerde;
        return this;
    }

    /** Topics a stateful or custom stage consumes, the main one (scaled on) first. */
    public StageBuilder<KI, VI, KO, VO> inputs(String... topics) {
        inputs.addAll(List.of(topics));
        return this;
    }

    /** Topics a stateful or custom stage writes; none for a sink. */
    public StageBuilder<KI, VI, KO, VO> outputs(String... topics) {
        outputs.addAll(List.of(topics));
        return this;
    }

    /** A per-record stage: always runs in the transactional loop. */
    public StageBuilder<KI, VI, KO, VO> stage(Supplier<? extends Stage<KI, VI, KO, VO>> stageSupplier) {
        this.kind = StageDefinition.Kind.STATELESS;
        this.supplier = stageSupplier;
        return this;
    }

    /** A stateful stage: a Kafka Streams topology (name every node and store). */
    public StageBuilder<KI, VI, KO, VO> stateful(Function<StageEnvironment, org.apache.kafka.streams.Topology> builder) {
        this.kind = StageDefinition.Kind.STATEFUL;
        this.topology = builder;
        return this;
    }

    /** A stage with a runtime of its own (sinks, pollers). */
    public StageBuilder<KI, VI, KO, VO> runtime(Function<StageEnvironment, RunningStage> factory) {
        this.kind = StageDefinition.Kind.CUSTOM;
        this.runtime = factory;
        return this;
    }

    /** Records processed at once by one instance; default 1. */
    public StageBuilder<KI, VI, KO, VO> concurrency(int n) {
        return concurrency(c -> n);
    }

    public StageBuilder<KI, VI, KO, VO> concurrency(ToIntFunction<AbstractConfig> n) {
        this.concurrency = n;
        return this;
    }

    /** Records per poll and transaction; default 100. */
    public StageBuilder<KI, VI, KO, VO> maxPollRecords(ToIntFunction<AbstractConfig> n) {
        this.maxPoll = n;
        return this;
    }

    public StageBuilder<KI, VI, KO, VO> retry(Function<AbstractConfig, RetryPolicy> policy) {
        this.retry = policy;
        return this;
    }

    /** Longest one record may take with its in-place retries; default: the retry policy's budget plus 30 s. */
    public StageBuilder<KI, VI, KO, VO> worstCaseRecordTime(Function<AbstractConfig, Duration> time) {
        this.worstCase = time;
        return this;
    }

    public StageBuilder<KI, VI, KO, VO> scaling(Scaling s) {
        this.scaling = Objects.requireNonNull(s);
        return this;
    }

    /** The settings this stage reads (validated at start, listed in the settings reference). */
    public StageBuilder<KI, VI, KO, VO> config(ConfigDef def) {
        this.configDef = Objects.requireNonNull(def);
        this.configFactory = m -> new AbstractConfig(def, m, false);
        return this;
    }

    /**
     * As {@link #config(ConfigDef)}, parsed by the component's config class, whose constructor
     * refuses contradictory settings at start with what to change.
     */
    public StageBuilder<KI, VI, KO, VO> config(ConfigDef def, Function<Map<?, ?>, ? extends AbstractConfig> parser) {
        this.configDef = Objects.requireNonNull(def);
        this.configFactory = Objects.requireNonNull(parser);
        return this;
    }

    /** The stage needs PostgreSQL ({@code db.url}); only such stages are given it. */
    public StageBuilder<KI, VI, KO, VO> needsDatabase() {
        this.needsDatabase = true;
        return this;
    }

    /** What the stage reaches besides its topics (see {@link StageDefinition.Use}); only those are granted to it. */
    public StageBuilder<KI, VI, KO, VO> uses(StageDefinition.Use... what) {
        uses.addAll(List.of(what));
        return this;
    }

    /** Records up to {@code bytes} on {@code topic}: sets the topic's and the producer's limits. */
    public StageBuilder<KI, VI, KO, VO> largeRecords(String topic, int bytes) {
        this.topicConfigs.put(topic, Map.of("max.message.bytes", Integer.toString(bytes)));
        this.maxRecordBytes = Math.max(maxRecordBytes, bytes);
        return this;
    }

    public StageDefinition<KI, VI, KO, VO> build() {
        if (worstCase == null) {
            Function<AbstractConfig, RetryPolicy> r = retry;
            worstCase = c -> r.apply(c).maxElapsed().plusSeconds(30);
        }
        return new StageDefinition<>(this);
    }
}
