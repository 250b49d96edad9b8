package dev.sluice.topology;

import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A stage run as its own Kafka Streams application ({@code sluice-<name>}) with exactly_once_v2. */
class StreamsStage implements RunningStage {
    private static final Logger log = LoggerFactory.getLogger(StreamsStage.class);

    private final String name;
    private final String inputTopic;
    private final KafkaStreams streams;

    StreamsStage(String name, String inputTopic, Topology topology, StageContext c) {
        this.name = name;
        this.inputTopic = inputTopic;
        this.streams = new KafkaStreams(topology, customize(props(name, c)));
    }

    static Properties props(String name, StageContext c) {
        Properties p = new Properties();
        p.putAll(c.clientProps());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "sluice-" + name);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, c.stateDir().toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, c.config().getLong(SluiceConfig.COMMIT_INTERVAL_MS_CONFIG));
        p.put(StreamsConfig.CLIENT_ID_CONFIG, "sluice-" + name + "-" + c.config().instanceId());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // static membership: a restarted instance gets its tasks back without waiting out the dead session
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                "sluice-" + name + "-" + c.config().instanceId());
        short rf = c.config().getShort(SluiceConfig.REPLICATION_CONFIG);
        if (rf > 0) {
            p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) rf);
        }
        return p;
    }

    /** Lets a stage adjust its Streams settings (e.g. producer limits). */
    protected Properties customize(Properties p) {
        return p;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String groupId() {
        return "sluice-" + name;
    }

    @Override
    public String inputTopic() {
        return inputTopic;
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
    public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        new io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics(streams).bindTo(registry);
    }

    /** The Streams client state (RUNNING, REBALANCING, ...), for readiness. */
    KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        // leave the group on a clean stop so a scale-down hands tasks over at once
        streams.close(CloseOptions.timeout(java.time.Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
}
