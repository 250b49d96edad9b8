package dev.sluice.topology.k8s;

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
    private final SortedMap<String, String> generated = new K8sManifests(PARTITIONS, 9400).files();

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
            assertThat(k.path("consumerGroup").asText()).isEqualTo(e.groupId());
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
    void shouldCapMaxReplicasAtTheTopicsPartitions() throws IOException {
        String fetch = new K8sManifests(3, 9400).files().get("components/keda/scaledobject-fetch.yaml");
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
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(generated.get(file))) {
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
