package dev.sluice.topology.k8s;

import dev.sluice.stage.Names;
import dev.sluice.stage.StageDefinition;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.sluice.stage.Scaling;
import dev.sluice.topology.StageCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The committed k8s/ is what the catalog generates, and every manifest keeps the scaling and security invariants. */
class K8sManifestsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path COMMITTED = Path.of("..", "k8s");
    private static final int PARTITIONS = 8;
    private final SortedMap<String, String> generated = new K8sManifests(PARTITIONS, 9400, Names.DEFAULT).files();

    @Test
    void shouldKeepTheCommittedManifestsInStepWithTheStageCatalog() throws IOException {
        SortedMap<String, String> committed = new TreeMap<>();
        for (String dir : K8sManifests.GENERATED_DIRS) {
            try (Stream<Path> s = Files.walk(COMMITTED.resolve(dir))) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    committed.put(COMMITTED.relativize(p).toString().replace('\\', '/'), Files.readString(p));
                }
            }
        }
        assertThat(committed).as("k8s/ is stale: run `./sluice k8s generate`").isEqualTo(generated);
    }

    @Test
    void shouldRunEveryStageAsAHardenedStatefulSetWithAServiceAndADisruptionBudget() throws IOException {
        for (StageDefinition<?, ?, ?, ?> e : StageCatalog.entries()) {
            List<JsonNode> docs = docs("base/stage-" + e.name() + ".yaml");
            JsonNode pod = kind(docs, "StatefulSet").path("spec").path("template").path("spec");
            JsonNode c = pod.path("containers").get(0);
            assertThat(texts(c.path("args"))).containsSequence("--stages", e.name()).containsSequence("--instance-id", "$(POD_NAME)");
            assertThat(pod.path("automountServiceAccountToken").isBoolean()).isTrue();
            assertThat(pod.path("automountServiceAccountToken").asBoolean()).isFalse();
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(c.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(c.path("securityContext").path("allowPrivilegeEscalation").asBoolean()).isFalse();
            assertThat(texts(pod.path("volumes"), "name")).contains("tmp", "data", "credentials");
            assertThat(pod.path("volumes").findValues("emptyDir")).hasSize(2);
            assertThat(pod.path("volumes").findValue("secret").path("secretName").asText()).isEqualTo("sluice-" + e.name());
            assertThat(pod.path("terminationGracePeriodSeconds").asInt()).as("longer than a commit and a Streams close (30 s)")
                    .isGreaterThan(30);
            assertThat(c.path("resources").path("requests").path("cpu").asText()).isEqualTo(e.scaling().cpuRequest());
            assertThat(c.path("resources").path("limits").path("memory").asText()).isEqualTo(e.scaling().memory());
            assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
            assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
            assertThat(kind(docs, "Service").path("spec").path("ports").get(0).path("name").asText()).isEqualTo("metrics");
            assertThat(kind(docs, "PodDisruptionBudget").path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
        }
    }

    @Test
    void shouldRunStagesAsParallelStatefulSetsSoTheStablePodNameIsTheInstanceId() throws IOException {
        for (StageDefinition<?, ?, ?, ?> e : StageCatalog.entries()) {
            List<JsonNode> docs = docs("base/stage-" + e.name() + ".yaml");
            JsonNode sts = kind(docs, "StatefulSet");
            assertThat(sts.path("spec").path("podManagementPolicy").asText()).as("scales like a Deployment").isEqualTo("Parallel");
            assertThat(sts.path("spec").path("serviceName").asText()).isEqualTo(kind(docs, "Service").path("metadata").path("name").asText());
            assertThat(kind(docs, "Service").path("spec").path("clusterIP").asText()).isEqualTo("None");
            JsonNode env = sts.path("spec").path("template").path("spec").path("containers").get(0).path("env");
            assertThat(env.get(0).path("name").asText()).isEqualTo("POD_NAME");
            assertThat(env.get(0).path("valueFrom").path("fieldRef").path("fieldPath").asText()).isEqualTo("metadata.name");
            if (e.scaling().autoscaled()) {
                for (String f : List.of("components/keda/scaledobject-", "components/keda-kafka/scaledobject-", "components/hpa/hpa-")) {
                    JsonNode ref = docs(f + e.name() + ".yaml").get(0).path("spec").path("scaleTargetRef");
                    assertThat(ref.path("kind").asText()).as(f).isEqualTo("StatefulSet");
                    assertThat(ref.path("apiVersion").asText()).isEqualTo("apps/v1");
                    assertThat(ref.path("name").asText()).isEqualTo(sts.path("metadata").path("name").asText());
                }
            }
        }
    }

    @Test
    void shouldGiveEachStageOnlyTheSecretsItNeedsFromItsOwnSecret() throws IOException {
        for (StageDefinition<?, ?, ?, ?> e : StageCatalog.entries()) {
            JsonNode c = kind(docs("base/stage-" + e.name() + ".yaml"), "StatefulSet").path("spec").path("template")
                    .path("spec").path("containers").get(0);
            List<String> keys = new ArrayList<>();
            for (JsonNode v : c.path("env")) {
                JsonNode ref = v.path("valueFrom").path("secretKeyRef");
                if (!ref.isMissingNode()) {
                    assertThat(ref.path("name").asText()).isEqualTo("sluice-" + e.name());
                    keys.add(ref.path("key").asText());
                }
            }
            List<String> expected = new ArrayList<>();
            if (e.needsDatabase()) {
                expected.add("db.url");
            }
            if (e.uses(StageDefinition.Use.LLM)) {
                expected.add("llm.api.key");
            }
            if (e.uses(StageDefinition.Use.BLOB_STORE)) {
                expected.addAll(List.of("aws.access.key.id", "aws.secret.access.key"));
            }
            assertThat(keys).as(e.name()).containsExactlyElementsOf(expected);
            assertThat(texts(c.path("args")).contains("/etc/sluice/config/blob.properties")).as(e.name())
                    .isEqualTo(e.uses(StageDefinition.Use.BLOB_STORE));
        }
        assertThat(texts(kind(docs("base/stage-summarise-documents.yaml"), "StatefulSet").findPath("containers").get(0)
                .path("env"), "name")).contains("SLUICE_LLM_API_KEY", "SLUICE_DB_URL");
        assertThat(generated.get("base/stage-threads.yaml")).as("shares the summariser's settings, not its key")
                .doesNotContain("llm.api.key");
        assertThat(generated.get("base/stage-store-documents.yaml")).as("collects blobs").contains("AWS_SECRET_ACCESS_KEY");
        assertThat(generated.get("base/stage-fetch.yaml")).doesNotContain("secretKeyRef");
    }

    @Test
    void shouldTemplateEverySecretInDevWithPlaceholdersOnly() throws IOException {
        List<JsonNode> secrets = docs("overlays/dev/secrets.yaml");
        assertThat(secrets).hasSize(StageCatalog.entries().size() + 1);
        for (StageDefinition<?, ?, ?, ?> e : StageCatalog.entries()) {
            JsonNode s = secrets.stream().filter(d -> d.path("metadata").path("name").asText().equals("sluice-" + e.name()))
                    .findFirst().orElseThrow();
            List<String> keys = new ArrayList<>();
            s.path("stringData").fieldNames().forEachRemaining(keys::add);
            List<String> expected = new ArrayList<>(List.of(StageSecrets.CREDENTIALS));
            StageSecrets.entries(e).forEach(en -> expected.add(en.key()));
            assertThat(keys).as(e.name()).containsExactlyElementsOf(expected);
        }
        assertThat(YAML.readTree(generated.get("overlays/dev/kustomization.yaml")).path("resources").toString()).contains("secrets.yaml");
    }

    @Test
    void shouldLetOnlyStagesThatFetchReachThePublicInternetAndNeverThePrivateRanges() throws IOException {
        for (StageDefinition<?, ?, ?, ?> e : StageCatalog.entries()) {
            JsonNode policy = kind(docs("base/stage-" + e.name() + ".yaml"), "NetworkPolicy").path("spec");
            assertThat(texts(policy.path("policyTypes"))).containsExactly("Egress");
            List<JsonNode> web = new ArrayList<>();
            List<String> peers = new ArrayList<>();
            for (JsonNode rule : policy.path("egress")) {
                JsonNode to = rule.path("to").get(0);
                if (to.has("ipBlock")) {
                    web.add(rule);
                } else if (!to.has("podSelector")) {
                    to.path("namespaceSelector").path("matchLabels").fieldNames().forEachRemaining(peers::add);
                }
            }
            boolean reachesWeb = e.uses(StageDefinition.Use.WEB) || e.uses(StageDefinition.Use.HN_API);
            assertThat(web).as(e.name()).hasSize(reachesWeb ? 1 : 0);
            if (reachesWeb) {
                JsonNode rule = web.get(0);
                assertThat(rule.path("to").findValues("except").toString()).contains("10.0.0.0/8", "172.16.0.0/12",
                        "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16", "fc00::/7", "fe80::/10");
                assertThat(rule.path("ports").findValuesAsText("port")).containsExactlyElementsOf(
                        e.uses(StageDefinition.Use.WEB) ? List.of("80", "443") : List.of("443"));
            }
            assertThat(peers).as(e.name()).contains("sluice.dev/kafka", "sluice.dev/schema-registry");
            assertThat(peers.contains("sluice.dev/database")).as(e.name()).isEqualTo(e.needsDatabase());
            assertThat(peers.contains("sluice.dev/blob-store")).isEqualTo(e.uses(StageDefinition.Use.BLOB_STORE));
            assertThat(peers.contains("sluice.dev/llm")).isEqualTo(e.uses(StageDefinition.Use.LLM));
        }
        assertThat(generated.get("base/stage-pdf-links.yaml")).contains("0.0.0.0/0");
        assertThat(generated.get("base/stage-links.yaml")).doesNotContain("ipBlock");
    }

    @Test
    void shouldCloseEveryPodToIngressButMetricsFromMonitoring() throws IOException {
        JsonNode ingress = docs("base/network.yaml").get(0).path("spec");
        assertThat(ingress.path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText()).isEqualTo("sluice");
        assertThat(texts(ingress.path("policyTypes"))).containsExactly("Ingress");
        assertThat(ingress.path("ingress")).hasSize(1);
        JsonNode rule = ingress.path("ingress").get(0);
        assertThat(rule.findPath("kubernetes.io/metadata.name").asText()).isEqualTo("monitoring");
        assertThat(rule.path("ports").get(0).path("port").asInt()).isEqualTo(9400);
    }

    @Test
    void shouldDeclareEveryTopicAndALeastPrivilegeUserPerStageForStrimzi() throws IOException {
        List<JsonNode> topics = docs("kafka/topics.yaml");
        assertThat(topics).extracting(t -> t.path("spec").path("topicName").asText())
                .containsExactlyElementsOf(StageCatalog.topics());
        for (JsonNode t : topics) {
            JsonNode config = t.path("spec").path("config");
            assertThat(t.path("spec").path("partitions").asInt()).isEqualTo(PARTITIONS);
            assertThat(config.has("retention.ms")).as(t.toString()).isEqualTo(t.path("spec").path("topicName").asText().endsWith(".dlq"));
        }
        assertThat(generated.get("kafka/topics.yaml")).contains("max.message.bytes");
        List<JsonNode> users = docs("kafka/users.yaml");
        assertThat(users).hasSize(StageCatalog.entries().size() + 1);
        for (StageDefinition<?, ?, ?, ?> e : StageCatalog.entries()) {
            JsonNode user = users.stream().filter(u -> u.path("metadata").path("name").asText().equals(e.groupId(Names.DEFAULT))).findFirst().orElseThrow();
            assertThat(user.path("spec").path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
            assertThat(user.path("spec").path("authorization").path("acls")).hasSize(StageAcls.of(e, Names.DEFAULT).size());
        }
        assertThat(YAML.readTree(generated.get("kafka/kustomization.yaml")).path("namespace").asText()).isEqualTo("kafka");
    }

    @Test
    void shouldScaleEveryAutoscaledStageOnItsOwnLagNeverAbovePartitions() throws IOException {
        for (StageDefinition<?, ?, ?, ?> e : StageCatalog.entries()) {
            Scaling s = e.scaling();
            if (!s.autoscaled()) {
                assertThat(generated).doesNotContainKey("components/keda/scaledobject-" + e.name() + ".yaml");
                continue;
            }
            JsonNode keda = docs("components/keda/scaledobject-" + e.name() + ".yaml").get(0).path("spec");
            assertThat(keda.path("maxReplicaCount").asInt()).isBetween(1, PARTITIONS);
            assertThat(keda.path("minReplicaCount").asInt()).isEqualTo(s.scaleToZero() ? 0 : s.minReplicas());
            JsonNode api = keda.path("triggers").get(0).path("metadata");
            assertThat(api.path("url").asText()).endsWith("/lag/" + e.name());
            assertThat(api.path("targetValue").asLong()).isEqualTo(s.lagThreshold());
            assertThat(api.path("activationTargetValue").asLong()).isEqualTo(s.activationLagThreshold());

            JsonNode kafka = docs("components/keda-kafka/scaledobject-" + e.name() + ".yaml").get(0).path("spec");
            JsonNode k = kafka.path("triggers").get(0).path("metadata");
            assertThat(k.path("consumerGroup").asText()).isEqualTo(e.groupId(Names.DEFAULT));
            assertThat(k.path("topic").asText()).isEqualTo(e.inputTopic());
            assertThat(k.path("lagThreshold").asLong()).isEqualTo(s.lagThreshold());
            assertThat(kafka.path("minReplicaCount").asInt()).as("KEDA's Kafka lag never reaches 0 under EOS").isPositive();
            assertThat(kafka.path("maxReplicaCount").asInt()).isLessThanOrEqualTo(PARTITIONS);

            JsonNode hpa = docs("components/hpa/hpa-" + e.name() + ".yaml").get(0).path("spec");
            assertThat(hpa.path("maxReplicas").asInt()).isLessThanOrEqualTo(PARTITIONS);
            JsonNode ext = hpa.path("metrics").get(0).path("external");
            assertThat(ext.path("metric").path("selector").path("matchLabels").path("stage").asText()).isEqualTo(e.name());
            assertThat(ext.path("target").path("averageValue").asLong()).isEqualTo(s.lagThreshold());
            assertThat(hpa.path("behavior").path("scaleDown").path("stabilizationWindowSeconds").asInt()).isPositive();
        }
    }

    @Test
    void shouldPointKedaAtTheLagExporterInTheOverlaysNamespace() throws IOException {
        JsonNode dev = YAML.readTree(generated.get("overlays/dev/kustomization.yaml"));
        for (StageDefinition<?, ?, ?, ?> e : StageCatalog.entries()) {
            if (!e.scaling().autoscaled()) {
                continue;
            }
            JsonNode patch = null;
            for (JsonNode p : dev.path("patches")) {
                if (p.path("target").path("name").asText().equals("sluice-" + e.name())) {
                    patch = YAML.readTree(p.path("patch").asText());
                }
            }
            assertThat(patch).as("URL patch of %s", e.name()).isNotNull();
            assertThat(patch.get(0).path("value").asText())
                    .isEqualTo("http://sluice-lag-exporter.sluice-dev.svc:9400/lag/" + e.name());
        }
    }

    @Test
    void shouldNameEveryTopicGroupAndKafkaUserUnderThePrefixWhenOneIsSet() throws IOException {
        Names it1 = Names.of("it1.");
        SortedMap<String, String> files = new K8sManifests(PARTITIONS, 9400, it1).files();
        assertThat(readAll(files.get("kafka/topics.yaml"))).extracting(t -> t.path("spec").path("topicName").asText())
                .containsExactlyElementsOf(it1.topics(StageCatalog.topics()));
        List<JsonNode> users = readAll(files.get("kafka/users.yaml"));
        assertThat(users).extracting(u -> u.path("metadata").path("name").asText()).allMatch(n -> n.startsWith("it1.sluice-"))
                .contains("it1.sluice-fetch", "it1.sluice-lag-exporter");
        for (JsonNode u : users) {
            for (JsonNode acl : u.path("spec").path("authorization").path("acls")) {
                String type = acl.path("resource").path("type").asText();
                if (!type.equals("cluster")) {
                    assertThat(acl.path("resource").path("name").asText()).as(acl.toString()).startsWith("it1.");
                }
            }
        }
        JsonNode k = readAll(files.get("components/keda-kafka/scaledobject-fetch.yaml")).get(0)
                .path("spec").path("triggers").get(0).path("metadata");
        assertThat(k.path("consumerGroup").asText()).isEqualTo("it1.sluice-fetch");
        assertThat(k.path("topic").asText()).isEqualTo("it1.sluice.hn.item-ids");
        assertThat(files.get("base/config.yaml")).contains("topic.prefix=it1.");
        assertThat(files.get("base/stage-fetch.yaml")).contains("name: sluice-fetch").doesNotContain("it1.");
    }

    @Test
    void shouldRefuseAPrefixThatCannotNameKubernetesResources() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new K8sManifests(PARTITIONS, 9400, Names.of("IT_1.")))
                .hasMessageContaining("lower-case letters, digits, '.' and '-'");
    }

    @Test
    void shouldCapMaxReplicasAtTheTopicsPartitions() throws IOException {
        String fetch = new K8sManifests(3, 9400, Names.DEFAULT).files().get("components/keda/scaledobject-fetch.yaml");
        assertThat(YAML.readTree(fetch).path("spec").path("maxReplicaCount").asInt()).isEqualTo(3);
    }

    @Test
    void shouldGiveAnOcrLikeStageOneCoreAndOneTesseractThread() throws IOException {
        Map<String, Object> d = new Workloads(9400).deployment("sluice-ocr", "ocr", List.of("run", "--stages", "ocr"),
                Scaling.DEFAULT.oneCorePerReplica());
        JsonNode c = YAML.readTree(Yaml.write(d)).path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(c.path("resources").path("limits").path("cpu").asText()).isEqualTo("1");
        assertThat(c.path("resources").path("requests").path("cpu").asText()).isEqualTo("1");
        assertThat(texts(c.path("env"), "name")).contains("OMP_THREAD_LIMIT");
    }

    @Test
    void shouldOnlyReferenceCredentialsNeverCarryThem() {
        generated.forEach((file, text) -> assertThat(text).as(file).doesNotContainIgnoringCase("password=")
                .doesNotContain("sasl.jaas.config=org"));
        assertThat(generated.get("overlays/prod/kustomization.yaml")).doesNotContain("secretGenerator").doesNotContain("secrets.yaml");
        assertThat(generated.keySet().stream().filter(f -> generated.get(f).contains("kind: Secret")))
                .as("Secrets are templates of the dev overlay only").containsExactly("overlays/dev/secrets.yaml");
    }

    private List<JsonNode> docs(String file) throws IOException {
        assertThat(generated).containsKey(file);
        return readAll(generated.get(file));
    }

    private static List<JsonNode> readAll(String yaml) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private static JsonNode kind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst().orElseThrow();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }
}
