package dev.sluice.tools.autoscale;

import dev.sluice.stage.Names;
import dev.sluice.stage.StageDefinition;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.hn.HnItemId;
import dev.sluice.stages.documents.DocumentsConfig;
import dev.sluice.stages.hn.HnConfig;
import dev.sluice.stages.summarise.SummariseConfig;
import dev.sluice.stages.hn.ItemFetchStage;
import dev.sluice.stages.hn.WatermarkProgress;
import dev.sluice.topology.LagMonitor;
import dev.sluice.runtime.RunningStage;
import dev.sluice.stage.Scaling;
import dev.sluice.topology.SluiceConfig;
import dev.sluice.topology.StageCatalog;
import dev.sluice.runtime.StageRuntimes;
import dev.sluice.topology.Pipeline;
import dev.sluice.topology.TopicBootstrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongSerializer;

/**
 * The local proof that lag drives replicas: a burst of item ids lands on the fetch stage's input
 * topic, and a controller applying KEDA's and the HPA's rule ({@link ScalingRule}) to the measured
 * lag starts and stops fetch instances in the stage's consumer group, each with its own instance id,
 * until the burst is drained and replicas are back at the idle count. The time series goes to
 * {@code autoscale.csv} and {@code autoscale.png} in the output folder.
 */
public final class AutoscaleDemo {
    private static final String STAGE = ItemFetchStage.NAME;

    /**
     * @param burst           item ids to put on the input topic (the given ids, cycled)
     * @param lagThreshold    lag per replica
     * @param maxReplicas     most replicas (further capped by partitions)
     * @param partitions      partitions of the topics
     * @param interval        controller period
     * @param scaleDownWindow scale-down stabilisation window
     * @param timeout         give up after this long
     * @param out             folder of autoscale.csv and autoscale.png
     */
    public record Settings(int burst, long lagThreshold, int maxReplicas, int partitions, Duration interval,
                           Duration scaleDownWindow, Duration timeout, Path out) {
    }

    /** The samples, and where the CSV and chart were written. */
    public record Result(List<Sample> samples, Path csv, Path png) {
    }

    private AutoscaleDemo() {
    }

    /**
     * Runs the demo. {@code props} are the settings every instance shares (bootstrap servers, data
     * dir, hn.base.url, fetch.*); {@code ids} are cycled into the burst.
     */
    public static Result run(Map<String, String> props, Map<String, Object> clientProps, List<Long> ids, Settings s)
            throws Exception {
        Scaling scaling = StageCatalog.entry(STAGE).scaling().lagThreshold(s.lagThreshold()).replicas(1, s.maxReplicas());
        StageDefinition<?, ?, ?, ?> entry = StageCatalog.entry(STAGE);
        Names names = Names.of(props.getOrDefault(SluiceConfig.TOPIC_PREFIX_CONFIG, ""));
        String input = names.topic(entry.inputTopic());
        try (Admin admin = Admin.create(new HashMap<>(clientProps));
             LagMonitor lag = new LagMonitor(admin, clientProps);
             StageInstances instances = new StageInstances(STAGE, id -> instance(props, clientProps, id))) {
            TopicBootstrap.ensure(admin, names.topics(StageCatalog.topics()), s.partitions(), (short) -1);
            awaitLeaders(admin, input);
            produceBurst(clientProps, ids, s.burst(), input);
            Autoscaler controller = new Autoscaler(STAGE, entry.groupId(names), input,
                    new ScalingRule(scaling, s.partitions(), s.scaleDownWindow()), lag, instances, s.interval());
            List<Sample> samples = controller.run(scaling.idleReplicas(), s.timeout());
            return write(samples, s, scaling);
        }
    }

    /** Fresh topics have no leader for a moment; a producer racing that can stall on sequence errors. */
    private static void awaitLeaders(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                .anyMatch(p -> p.leader() == null || p.leader().isEmpty())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("partitions of " + topic + " have no leader after 30 s");
            }
            Thread.sleep(100);
        }
    }

    private static RunningStage instance(Map<String, String> shared, Map<String, Object> clientProps, String id) {
        Map<String, String> p = new HashMap<>(shared);
        p.put(SluiceConfig.INSTANCE_ID_CONFIG, id);
        p.put(SluiceConfig.STAGES_CONFIG, STAGE);
        SluiceConfig config = new SluiceConfig(p);
        return StageRuntimes.create(StageCatalog.entry(STAGE), Pipeline.environment(config, clientProps, null));
    }

    private static void produceBurst(Map<String, Object> clientProps, List<Long> ids, int burst, String topic) {
        Map<String, Object> p = new HashMap<>(clientProps);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (AvroSerde<HnItemId> serde = new AvroSerde<>(HnItemId.class);
             KafkaProducer<Long, HnItemId> producer = new KafkaProducer<>(p, new LongSerializer(), serde.serializer())) {
            for (int i = 0; i < burst; i++) {
                long id = ids.get(i % ids.size());
                producer.send(new ProducerRecord<>(topic, id, new HnItemId(id, "autoscale-demo")));
            }
            producer.flush();
        }
    }

    private static Result write(List<Sample> samples, Settings s, Scaling scaling) throws IOException {
        Files.createDirectories(s.out());
        Path csv = s.out().resolve("autoscale.csv");
        Files.writeString(csv, Sample.CSV_HEADER + "\n" + samples.stream().map(Sample::csv).collect(Collectors.joining("\n")) + "\n");
        Path png = s.out().resolve("autoscale.png");
        Chart.write(samples, String.format("%s: burst of %,d ids, %,d lag per replica, max %d replicas (%d partitions)",
                STAGE, s.burst(), scaling.lagThreshold(), scaling.maxReplicas(s.partitions()), s.partitions()), png);
        return new Result(samples, csv, png);
    }
}
