package dev.sluice.stage;

import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;

/**
 * Everything the runtime needs to run a {@link Stage}: its name, its topics and serdes, how to make
 * an instance, how many records it may process at once and how it retries.
 *
 * <p>Each stage consumes exactly one input topic as consumer group {@code sluice-<name>} (so it
 * scales on its own lag) and writes one output topic plus its dead-letter topic
 * {@code <input-topic>.dlq}. With {@code concurrency == 1} the stage can run inside Kafka Streams
 * ({@code StageTopology}); above 1 it runs in the runtime's transactional consume-process-produce
 * loop, which processes a polled batch on {@code concurrency} threads and commits it in one
 * transaction.
 */
public final class StageDefinition<KI, VI, KO, VO> {
    private final String name;
    private final String inputTopic;
    private final String outputTopic;
    private final Serde<KI> inKeySerde;
    private final Serde<VI> inValueSerde;
    private final Serde<KO> outKeySerde;
    private final Serde<VO> outValueSerde;
    private final Supplier<? extends Stage<KI, VI, KO, VO>> supplier;
    private final int concurrency;

    private StageDefinition(Builder<KI, VI, KO, VO> b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.inputTopic = Objects.requireNonNull(b.inputTopic, "inputTopic");
        this.outputTopic = Objects.requireNonNull(b.outputTopic, "outputTopic");
        this.inKeySerde = Objects.requireNonNull(b.inKeySerde, "input key serde");
        this.inValueSerde = Objects.requireNonNull(b.inValueSerde, "input value serde");
        this.outKeySerde = Objects.requireNonNull(b.outKeySerde, "output key serde");
        this.outValueSerde = Objects.requireNonNull(b.outValueSerde, "output value serde");
        this.supplier = Objects.requireNonNull(b.supplier, "stage supplier");
        if (b.concurrency < 1) {
            throw new IllegalArgumentException("concurrency of stage " + name + " must be >= 1, was " + b.concurrency);
        }
        this.concurrency = b.concurrency;
    }

    /** Starts a definition; {@code name} is lower-case words joined by '-', e.g. {@code fetch}. */
    public static <KI, VI, KO, VO> Builder<KI, VI, KO, VO> builder(String name) {
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("stage name must match [a-z][a-z0-9-]*: " + name);
        }
        return new Builder<>(name);
    }

    public String name() { return name; }
    public String inputTopic() { return inputTopic; }
    public String outputTopic() { return outputTopic; }
    public String deadLetterTopic() { return inputTopic + ".dlq"; }
    public String groupId() { return "sluice-" + name; }
    public Serde<KI> inKeySerde() { return inKeySerde; }
    public Serde<VI> inValueSerde() { return inValueSerde; }
    public Serde<KO> outKeySerde() { return outKeySerde; }
    public Serde<VO> outValueSerde() { return outValueSerde; }
    public int concurrency() { return concurrency; }

    /** A fresh stage instance (not yet initialised). */
    public Stage<KI, VI, KO, VO> newStage() {
        return supplier.get();
    }

    /** Fluent builder; every setter is required except {@link #concurrency}. */
    public static final class Builder<KI, VI, KO, VO> {
        private final String name;
        private String inputTopic;
        private String outputTopic;
        private Serde<KI> inKeySerde;
        private Serde<VI> inValueSerde;
        private Serde<KO> outKeySerde;
        private Serde<VO> outValueSerde;
        private Supplier<? extends Stage<KI, VI, KO, VO>> supplier;
        private int concurrency = 1;

        private Builder(String name) {
            this.name = name;
        }

        public Builder<KI, VI, KO, VO> input(String topic, Serde<KI> keySerde, Serde<VI> valueSerde) {
            this.inputTopic = topic;
            this.inKeySerde = keySerde;
            this.inValueSerde = valueSerde;
            return this;
        }

        public Builder<KI, VI, KO, VO> output(String topic, Serde<KO> keySerde, Serde<VO> valueSerde) {
            this.outputTopic = topic;
            this.outKeySerde = keySerde;
            this.outValueSerde = valueSerde;
            return this;
        }

        public Builder<KI, VI, KO, VO> stage(Supplier<? extends Stage<KI, VI, KO, VO>> stageSupplier) {
            this.supplier = stageSupplier;
            return this;
        }

        /** Records processed at once by one instance (threads); default 1. */
        public Builder<KI, VI, KO, VO> concurrency(int n) {
            this.concurrency = n;
            return this;
        }

        public StageDefinition<KI, VI, KO, VO> build() {
            return new StageDefinition<>(this);
        }
    }
}
