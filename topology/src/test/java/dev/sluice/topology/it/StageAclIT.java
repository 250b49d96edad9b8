package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stage.Names;
import dev.sluice.testkit.hn.HnReplayServer;
import dev.sluice.testkit.hn.SharedFixtures;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.hn.HnItemId;
import dev.sluice.schemas.registry.SchemaRegistries;
import dev.sluice.schemas.threads.ThreadComment;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stages.hn.HnConfig;
import dev.sluice.stages.hn.HnTopics;
import dev.sluice.stages.summarise.SummariseConfig;
import dev.sluice.stages.summarise.SummaryTopics;
import dev.sluice.topology.Infrastructure;
import dev.sluice.topology.Pipeline;
import dev.sluice.topology.SluiceConfig;
import dev.sluice.topology.StageAcls;
import dev.sluice.topology.StageCatalog;
import dev.sluice.topology.cli.SluiceCli;
import dev.sluice.topology.embedded.BrokerSecurity;
import dev.sluice.topology.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Stages on a broker with SASL_SSL (SCRAM-SHA-512) and ACLs, each as its own SCRAM user holding exactly
 * {@link StageAcls#forStage}, with client settings passed as {@code kafka.*} and no topic creation at start:
 * the ACLs suffice for the per-record {@code fetch} and the Kafka Streams {@code threads}, and without
 * its transactional-id Write the stage fails on authorization.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StageAclIT {
    private static final int IDS = 200;
    private static final long THREADS = 3;
    private static final Map<String, String> PASSWORDS = Map.of("fetch", TestCertificates.secret(),
            "threads", TestCertificates.secret());
    private static Path dir;
    private static BrokerSecurity security;
    private static EmbeddedKafka kafka;
    private static Admin admin;
    private static HnReplayServer hn;

    @BeforeAll
    static void start() throws Exception {
        dir = Path.of("target", "it", "stage-acl").toAbsolutePath();
        ItEnv.deleteRecursively(dir);
        CompletableFuture<String> registry = CompletableFuture.supplyAsync(unchecked(ItEnv::schemaRegistryUrl));
        security = TestCertificates.create(dir.resolve("tls"), "admin");
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), security);
        admin = Admin.create(kafka.clientProps());
        for (Map.Entry<String, String> user : PASSWORDS.entrySet()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(StageAcls.principal(user.getKey(), Names.DEFAULT)
                    .substring("User:".length()), new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                    user.getValue()))).all().get();
        }
        for (Map.Entry<String, String> user : PASSWORDS.entrySet()) {
            awaitLogin(StageAcls.principal(user.getKey(), Names.DEFAULT).substring("User:".length()), user.getValue());
        }
        SchemaRegistries.configure(registry.get(90, TimeUnit.SECONDS), true);
        hn = HnReplayServer.builder().items(SharedFixtures.hnItems()).start();
    }

    @AfterAll
    static void stop() {
        if (hn != null) {
            hn.close();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void shouldRefuseToStartNamingTheMissingTopicsWhenTopicCreationAtStartIsOff() throws Exception {
        grant(StageAcls.forStage(StageCatalog.entry("fetch"), Names.DEFAULT));
        try (Infrastructure infra = Infrastructure.open(config("fetch", Map.of()), true, false);
             Pipeline pipeline = new Pipeline(config("fetch", Map.of()), infra.clientProps(), null)) {
            assertThatThrownBy(pipeline::start).hasMessageContaining("[sluice.hn.item-ids, sluice.hn.item-ids.dlq, sluice.hn.items]")
                    .hasMessageContaining("./sluice topics create");
        }
        assertThat(admin.listTopics().names().get()).doesNotContain(HnTopics.ITEM_IDS);
    }

    @Test
    @Order(2)
    void shouldCreateEveryTopicWithDeadLetterRetentionFromTheCommandLine() throws Exception {
        List<String> args = new ArrayList<>(List.of("topics", "create", "--bootstrap-servers", kafka.bootstrapServers(),
                "--data-dir", dir.resolve("cli").toString(), "--partitions", "2"));
        kafkaSettings("admin", security.superPassword())
                .forEach((k, v) -> args.addAll(List.of("--set", SluiceConfig.KAFKA_PREFIX + k + "=" + v)));
        assertThat(SluiceCli.execute(args.toArray(String[]::new))).isZero();

        assertThat(admin.listTopics().names().get()).containsAll(StageCatalog.topics());
        assertThat(admin.describeTopics(List.of(HnTopics.ITEMS)).allTopicNames().get().get(HnTopics.ITEMS).partitions()).hasSize(2);
        assertThat(retentionMs(HnTopics.dlq(HnTopics.ITEMS))).isEqualTo(SluiceConfig.DLQ_RETENTION_MS_DEFAULT);
        assertThat(retentionMs(HnTopics.ITEMS)).isNotEqualTo(SluiceConfig.DLQ_RETENTION_MS_DEFAULT);
    }

    @Test
    @Order(3)
    void shouldFetchEveryIdExactlyOnceWithOnlyTheFetchStagesAcls() throws Exception {
        produce(HnTopics.ITEM_IDS, new AvroSerde<>(HnItemId.class).serializer(), IDS,
                i -> new HnItemId(HnExpectations.FIRST + i, "acl-it"), i -> HnExpectations.FIRST + i);
        List<ConsumerRecord<Long, byte[]>> items = runUntil("fetch", Map.of(), HnTopics.ITEMS, IDS);

        assertThat(items.stream().map(ConsumerRecord::key).toList()).hasSize(IDS).doesNotHaveDuplicates()
                .allMatch(k -> k >= HnExpectations.FIRST && k < HnExpectations.FIRST + IDS);
        assertThat(TopicReader.readAll(kafka.clientProps(), HnTopics.dlq(HnTopics.ITEM_IDS))).isEmpty();
    }

    @Test
    @Order(4)
    void shouldRunTheKafkaStreamsThreadsStageWithOnlyItsAcls() throws Exception {
        grant(StageAcls.forStage(StageCatalog.entry("threads"), Names.DEFAULT));
        produce(SummaryTopics.THREAD_COMMENTS, new AvroSerde<>(ThreadComment.class).serializer(), (int) THREADS * 3,
                i -> new ThreadComment(1L + i % THREADS, 100L + i, false, 1L + i % THREADS, "u" + i, 0L, "comment " + i),
                i -> 1L + i % THREADS);
        List<ConsumerRecord<Long, byte[]>> snapshots = runUntil("threads",
                Map.of(SummariseConfig.THREAD_MIN_CONFIG, "3"), SummaryTopics.THREAD_SNAPSHOTS, (int) THREADS);

        assertThat(snapshots.stream().map(ConsumerRecord::key).toList()).containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(admin.listTopics().names().get()).anyMatch(t -> t.startsWith("sluice-threads-") && t.endsWith("-changelog"));
    }

    @Test
    @Order(5)
    void shouldFailOnAuthorizationWithoutTheTransactionalIdWrite() throws Exception {
        AclBinding txWrite = StageAcls.forStage(StageCatalog.entry("fetch"), Names.DEFAULT).stream()
                .filter(b -> b.pattern().resourceType() == ResourceType.TRANSACTIONAL_ID
                        && b.entry().operation() == AclOperation.WRITE).findFirst().orElseThrow();
        admin.deleteAcls(List.of(txWrite.toFilter())).all().get();
        awaitAcls(() -> !currentAcls().contains(txWrite));

        try (Infrastructure infra = Infrastructure.open(config("fetch", Map.of()), true, false);
             Pipeline pipeline = new Pipeline(config("fetch", Map.of()), infra.clientProps(), null)) {
            pipeline.start();
            assertThatThrownBy(() -> pipeline.await(false, Duration.ofMillis(100)))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TransactionalIdAuthorizationException.class);
        }
    }

    /** Runs {@code stage} as its own user until {@code topic} holds {@code expected} committed records, or fails. */
    private static List<ConsumerRecord<Long, byte[]>> runUntil(String stage, Map<String, String> extra, String topic,
                                                               int expected) throws Exception {
        SluiceConfig config = config(stage, extra);
        try (Infrastructure infra = Infrastructure.open(config, true, false);
             Pipeline pipeline = new Pipeline(config, infra.clientProps(), null)) {
            pipeline.start();
            CompletableFuture<Void> failure = CompletableFuture.supplyAsync(unchecked(() -> {
                pipeline.await(false, Duration.ofMillis(200));
                return null;
            }));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                List<ConsumerRecord<Long, byte[]>> out = TopicReader.readAll(kafka.clientProps(), topic, new LongDeserializer(),
                        new ByteArrayDeserializer());
                if (out.size() >= expected) {
                    return out;
                }
                if (failure.isDone()) {
                    failure.join();
                }
                assertThat(System.nanoTime()).as("%s records on %s within 30 s, got %d", expected, topic, out.size())
                        .isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    /** A process running only {@code stage}, connecting as its user through {@code kafka.*} settings. */
    private static SluiceConfig config(String stage, Map<String, String> extra) {
        Map<String, String> p = new HashMap<>(extra);
        p.put(SluiceConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(SluiceConfig.DATA_DIR_CONFIG, dir.resolve(stage).toString());
        p.put(SluiceConfig.STAGES_CONFIG, stage);
        p.put(SluiceConfig.INSTANCE_ID_CONFIG, "it");
        p.put(SluiceConfig.TOPICS_CREATE_ON_START_CONFIG, "false");
        p.put(HnConfig.BASE_URL_CONFIG, hn.baseUrl());
        p.put(HnConfig.FETCH_TIMEOUT_MS_CONFIG, "2000");
        kafkaSettings(StageAcls.principal(stage, Names.DEFAULT).substring("User:".length()), PASSWORDS.get(stage))
                .forEach((k, v) -> p.put(SluiceConfig.KAFKA_PREFIX + k, v));
        return new SluiceConfig(p);
    }

    /** The client settings of {@code user}, without the bootstrap servers. */
    private static Map<String, String> kafkaSettings(String user, String password) {
        Map<String, String> s = new HashMap<>();
        security.clientProps(kafka.bootstrapServers(), user, password).forEach((k, v) -> s.put(k, v.toString()));
        s.remove("bootstrap.servers");
        return s;
    }

    /** The broker knows a new SCRAM user once it has replayed it from the metadata log. */
    private static void awaitLogin(String user, String password) throws Exception {
        Map<String, Object> p = new HashMap<>(security.clientProps(kafka.bootstrapServers(), user, password));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Admin a = Admin.create(p)) {
                a.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void grant(List<AclBinding> acls) throws Exception {
        admin.createAcls(acls).all().get();
        awaitAcls(() -> currentAcls().containsAll(acls));
    }

    /** The broker applies ACLs once it has replayed them from the metadata log. */
    private static void awaitAcls(Supplier<Boolean> applied) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!applied.get()) {
            assertThat(System.nanoTime()).as("ACLs applied within 10 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static java.util.Collection<AclBinding> currentAcls() {
        try {
            return admin.describeAcls(AclBindingFilter.ANY).values().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long retentionMs(String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config c = admin.describeConfigs(List.of(r)).all().get().get(r);
        return Long.parseLong(c.get("retention.ms").value());
    }

    private static <V> void produce(String topic, Serializer<V> values, int n, java.util.function.IntFunction<V> value,
                                    java.util.function.IntFunction<Long> key) {
        Map<String, Object> p = new HashMap<>(kafka.clientProps());
        p.put("acks", "all");
        try (KafkaProducer<Long, V> producer = new KafkaProducer<>(p, new LongSerializer(), values)) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, key.apply(i), value.apply(i)));
            }
            producer.flush();
        }
    }

    private interface Checked<T> {
        T get() throws Exception;
    }

    private static <T> Supplier<T> unchecked(Checked<T> c) {
        return () -> {
            try {
                return c.get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
