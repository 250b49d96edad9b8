package dev.sluice.topology.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stage.Names;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every object of the generated k8s/ is valid for Kubernetes 1.31, KEDA 2.x and Strimzi 0.48, as
 * {@link ManifestValidator} checks it; and the validator does reject what an API server would.
 */
class K8sSchemasTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final SortedMap<String, String> generated = new K8sManifests(8, 9400, Names.DEFAULT).files();
    private final ManifestValidator validator = new ManifestValidator();

    @Test
    void shouldEmitOnlyObjectsValidForTheirKubernetesKedaAndStrimziSchemas() throws IOException {
        Map<String, List<String>> errors = new TreeMap<>();
        int checked = 0;
        for (Map.Entry<String, JsonNode> d : objects().entrySet()) {
            List<String> e = validator.errors(d.getValue());
            if (!e.isEmpty()) {
                errors.put(d.getKey(), e);
            }
            checked++;
        }
        assertThat(errors).as("invalid manifests").isEmpty();
        assertThat(checked).as("objects validated").isGreaterThan(100);
    }

    @Test
    void shouldHaveASchemaForEveryKindItEmits() throws IOException {
        objects().forEach((where, doc) -> assertThat(ManifestValidator.knows(doc))
                .as("%s: %s/%s has no vendored schema", where, doc.path("apiVersion").asText(), doc.path("kind").asText())
                .isTrue());
    }

    @Test
    void shouldRejectAMisspelledPodField() throws IOException {
        ObjectNode sts = (ObjectNode) object("base/stage-fetch.yaml", "StatefulSet");
        ObjectNode pod = (ObjectNode) sts.path("spec").path("template").path("spec");
        pod.set("automountServiceAccountTokn", pod.remove("automountServiceAccountToken"));
        assertThat(validator.errors(sts)).singleElement().asString().contains("automountServiceAccountTokn");
    }

    @Test
    void shouldRejectAStatefulSetWithoutItsSelector() throws IOException {
        ObjectNode sts = (ObjectNode) object("base/stage-fetch.yaml", "StatefulSet");
        ((ObjectNode) sts.path("spec")).remove("selector");
        assertThat(validator.errors(sts)).singleElement().asString().contains("selector");
    }

    @Test
    void shouldRejectAScaledObjectWithAnUnknownFieldOrAWrongType() throws IOException {
        ObjectNode so = (ObjectNode) YAML.readTree(generated.get("components/keda/scaledobject-fetch.yaml"));
        ((ObjectNode) so.path("spec")).put("minReplicas", 1);
        assertThat(validator.errors(so)).isNotEmpty();
        so = (ObjectNode) YAML.readTree(generated.get("components/keda/scaledobject-fetch.yaml"));
        ((ObjectNode) so.path("spec")).put("maxReplicaCount", "eight");
        assertThat(validator.errors(so)).isNotEmpty();
        so = (ObjectNode) YAML.readTree(generated.get("components/keda/scaledobject-fetch.yaml"));
        ((ObjectNode) so.path("spec")).remove("triggers");
        assertThat(validator.errors(so)).isNotEmpty();
    }

    @Test
    void shouldRejectAKafkaUserWithAnOperationStrimziDoesNotKnow() throws IOException {
        ObjectNode user = (ObjectNode) object("kafka/users.yaml", "KafkaUser");
        ObjectNode acl = (ObjectNode) user.path("spec").path("authorization").path("acls").get(0);
        acl.putArray("operations").add("ReadAll");
        assertThat(validator.errors(user)).isNotEmpty();
    }

    @Test
    void shouldRejectAKafkaTopicWithAMisspelledField() throws IOException {
        ObjectNode topic = (ObjectNode) object("kafka/topics.yaml", "KafkaTopic");
        ((ObjectNode) topic.path("spec")).put("replicationFactor", 3);
        assertThat(validator.errors(topic)).isNotEmpty();
    }

    /** Every Kubernetes object of every generated YAML file (Kustomize's own files excluded), by file and index. */
    private Map<String, JsonNode> objects() throws IOException {
        Map<String, JsonNode> out = new TreeMap<>();
        for (Map.Entry<String, String> f : generated.entrySet()) {
            if (!f.getKey().endsWith(".yaml") || f.getKey().endsWith("kustomization.yaml")) {
                continue;
            }
            List<JsonNode> docs = new ArrayList<>();
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(f.getValue())) {
                it.forEachRemaining(docs::add);
            }
            for (int i = 0; i < docs.size(); i++) {
                out.put(f.getKey() + "#" + i, docs.get(i));
            }
        }
        return out;
    }

    private JsonNode object(String file, String kind) throws IOException {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(generated.get(file))) {
            while (it.hasNext()) {
                JsonNode d = it.next();
                if (d.path("kind").asText().equals(kind)) {
                    return d;
                }
            }
        }
        throw new AssertionError("no " + kind + " in " + file);
    }
}
