package dev.sluice.runtime;

import dev.sluice.stage.StageDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A stateful stage run as its own Kafka Streams application ({@code <prefix>sluice-<name>}) with exactly_once_v2. */
public class StreamsStage implements RunningStage {
    private static final Logger log = LoggerFactory.getLogger(StreamsStage.class);
    /** How long a clean stop waits for the stream threads (the open transaction is aborted, not lost). */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final List<String> inputTopics;
    private final String groupId;
    private final KafkaStreams streams;

    public StreamsStage(StageDefinition<?, ?, ?, ?> def, Topology topology, StageEnvironment env) {
        this.name = def.name();
        this.inputTopics = env.names().topics(def.inputTopics());
        this.groupId = env.names().groupId(def.name());
        this.streams = new KafkaStreams(topology, props(def, env));
    }

    static Properties props(StageDefinition<?, ?, ?, ?> def, StageEnvironment env) {
        Properties p = new Properties();
        p.putAll(env.clientProps());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, env.names().groupId(def.name()));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, env.stateDir().toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, env.commitIntervalMs());
        p.put(StreamsConfig.CLIENT_ID_CONFIG, env.names().memberId(def.name(), env.instanceId()));
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // static membership: a restarted instance gets its tasks back without waiting out the dead session
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), env.names().memberId(def.name(), env.instanceId()));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), def.maxRecordBytes());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        p.put(DeadLetterProcessingHandler.STAGE_CONFIG, def.name());
        p.put(DeadLetterProcessingHandler.TOPIC_CONFIG, env.names().topic(def.deadLetterTopic()));
        if (env.replication() > 0) {
            p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) env.replication());
        }
        return p;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public List<String> inputTopics() {
        return inputTopics;
    }

    @Override
    public void start(Consumer<Throwable> onFatal) {
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stage {} stopped on a fatal error", name, e);
            onFatal.accept(e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
    }

    /** Ready while the Streams client runs or rebalances (not while created, erroring or shutting down). */
    @Override
    public boolean isReady() {
        return streams.state().isRunningOrRebalancing();
    }

    @Override
    public Optional<KafkaStreams> streams() {
        return Optional.of(streams);
    }

    @Override
    public void close() {
        // leave the group on a clean stop so a scale-down hands tasks over at once
        streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
}
