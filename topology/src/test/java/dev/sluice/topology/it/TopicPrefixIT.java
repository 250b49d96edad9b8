package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stage.Names;
import dev.sluice.stages.hn.HnTopics;
import dev.sluice.testkit.hn.HnReplayServer;
import dev.sluice.testkit.hn.SharedFixtures;
import dev.sluice.topology.StageCatalog;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.TransactionListing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Hacker News pipelines ({@code sluice run --set topic.prefix=a.} and {@code b.}, same instance
 * id, a database each) on one broker against one replay server: each stores every item once, and
 * everything either put on the broker carries its prefix.
 */
class TopicPrefixIT {
    private static final int ITEMS = 120;
    private static final List<String> PREFIXES = List.of("a.", "b.");
    private static ItEnv env;
    private static HnReplayServer hn;
    private static final List<String> databases = new ArrayList<>();
    private static List<Long> expected;
    /** Transactional ids cannot be deleted: those of earlier test classes on the shared broker linger. */
    private static Set<String> txIdsBefore;

    @BeforeAll
    static void runBoth() throws Exception {
        env = ItEnv.start("topic-prefix");
        Path fixture = env.dir("hn").resolve("items.jsonl");
        Files.write(fixture, Files.readAllLines(SharedFixtures.hnItems()).subList(0, ITEMS));
        expected = Files.readAllLines(fixture).stream().map(HnExpectations::parse).map(n -> n.get("id").asLong()).sorted().toList();
        hn = HnReplayServer.builder().items(fixture).latencyMs(1).start();
        databases.add(env.jdbcUrl());
        databases.add(ItEnv.database("topic_prefix_b"));
        txIdsBefore = transactionalIds();
        List<SluiceProcess> runs = new ArrayList<>();
        try {
            for (int i = 0; i < PREFIXES.size(); i++) {
                runs.add(SluiceProcess.start(env.dir("log-" + i).resolve("sluice.log"), args(PREFIXES.get(i), databases.get(i), i),
                        List.of(), List.of("-XX:TieredStopAtLevel=1")));
            }
            for (SluiceProcess p : runs) {
                assertThat(p.awaitExit(90)).as("exit code; log:\n%s", p.tail()).isZero();
            }
        } finally {
            for (SluiceProcess p : runs) {
                p.close();
            }
        }
    }

    private static List<String> args(String prefix, String jdbcUrl, int i) throws Exception {
        return List.of("run", "--stages", PipelineRun.HN_STAGES, "--bootstrap-servers", env.bootstrapServers(),
                "--db-url", jdbcUrl, "--schema-registry-url", ItEnv.schemaRegistryUrl(),
                "--data-dir", env.dir("data-" + i).toString(), "--instance-id", "it", "--hn-base-url", hn.baseUrl(),
                "--hn-from-id", Long.toString(expected.get(0)), "--exit-when-idle",
                "--set", "topic.prefix=" + prefix, "--set", "topic.partitions=2", "--set", "metrics.port=0",
                "--set", "schema.registry.auto.register=true", "--set", "hn.poll.interval.ms=300");
    }

    @AfterAll
    static void stop() {
        if (hn != null) {
            hn.close();
        }
        env.close();
    }

    @Test
    void shouldStoreEveryItemOnceInEachRunsDatabaseWhenTwoPrefixesShareABroker() throws Exception {
        for (String db : databases) {
            assertThat(Db.longs(db, "SELECT id FROM hn_items ORDER BY id")).as(db).containsExactlyElementsOf(expected);
        }
        for (String prefix : PREFIXES) {
            List<Long> keys = TopicReader.readAll(env.clientProps(), prefix + HnTopics.ITEMS).stream()
                    .map(r -> ByteBuffer.wrap(r.key()).getLong()).sorted().toList();
            assertThat(keys).as(prefix + HnTopics.ITEMS).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void shouldPutOnlyPrefixedTopicsGroupsAndTransactionalIdsOnTheBroker() throws Exception {
        try (Admin admin = Admin.create(new HashMap<>(env.clientProps()))) {
            Set<String> topics = admin.listTopics().names().get();
            Set<String> groups = admin.listGroups().all().get().stream().map(GroupListing::groupId).collect(Collectors.toSet());
            Set<String> txIds = transactionalIds();
            txIds.removeAll(txIdsBefore);
            assertThat(topics).isNotEmpty().allMatch(TopicPrefixIT::prefixed);
            assertThat(groups).isNotEmpty().allMatch(TopicPrefixIT::prefixed);
            assertThat(txIds).isNotEmpty().allMatch(TopicPrefixIT::prefixed);
            for (String prefix : PREFIXES) {
                Names names = Names.of(prefix);
                assertThat(topics).containsAll(names.topics(StageCatalog.topicsOf(List.of(PipelineRun.HN_STAGES.split(",")))));
                assertThat(groups).contains(names.groupId("fetch"), names.groupId("store"), names.groupId("watermark"));
                assertThat(txIds).contains(names.transactionalId("fetch", "it"));
            }
        }
    }

    private static Set<String> transactionalIds() throws Exception {
        try (Admin admin = Admin.create(new HashMap<>(env.clientProps()))) {
            return admin.listTransactions().all().get().stream().map(TransactionListing::transactionalId)
                    .collect(Collectors.toCollection(java.util.HashSet::new));
        }
    }

    private static boolean prefixed(String name) {
        return PREFIXES.stream().anyMatch(name::startsWith);
    }
}
