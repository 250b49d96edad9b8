package dev.sluice.topology.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import io.strimzi.api.kafka.model.common.UnknownPropertyPreserving;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Validates one Kubernetes object the way an API server with strict field validation
 * ({@code kubectl apply --validate=strict}) would, against the schemas vendored under
 * {@code src/test/resources/k8s-schemas} (see its README):
 * <ul>
 *   <li>built-in kinds against the Kubernetes 1.31 API models of {@code io.kubernetes:client-java-api},
 *       generated from the API's OpenAPI spec: unknown fields, missing required fields and wrong
 *       types fail;</li>
 *   <li>KEDA's custom resources against the JSON schema of their CRD ({@code openAPIV3Schema}) with
 *       the networknt validator, unknown fields made errors;</li>
 *   <li>Strimzi's custom resources against Strimzi's own API model ({@code io.strimzi:api}, the
 *       classes its CRDs are generated from; no JSON schema of them is published in a package
 *       registry): wrong types, unknown resource, pattern or authentication types, unknown
 *       operations and unknown fields fail.</li>
 * </ul>
 * The metadata of a custom resource is checked as a built-in {@code ObjectMeta}.
 */
final class ManifestValidator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Class<?>> BUILT_IN = Map.of(
            "apps/v1/StatefulSet", V1StatefulSet.class,
            "apps/v1/Deployment", V1Deployment.class,
            "v1/Service", V1Service.class,
            "v1/ConfigMap", V1ConfigMap.class,
            "v1/Secret", V1Secret.class,
            "networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class,
            "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class);
    /** Custom resources with a CRD schema: apiVersion/kind to the vendored schema. */
    private static final Map<String, String> CUSTOM = Map.of(
            "keda.sh/v1alpha1/ScaledObject", "keda-2.10.1/scaledobject.json",
            "keda.sh/v1alpha1/TriggerAuthentication", "keda-2.10.1/triggerauthentication.json");
    private static final Map<String, Class<?>> STRIMZI = Map.of(
            "kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class,
            "kafka.strimzi.io/v1beta2/KafkaUser", KafkaUser.class);

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

    /** True when this validator has a schema for {@code doc}'s apiVersion and kind. */
    static boolean knows(JsonNode doc) {
        String key = key(doc);
        return BUILT_IN.containsKey(key) || CUSTOM.containsKey(key) || STRIMZI.containsKey(key);
    }

    private static String key(JsonNode doc) {
        return doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
    }

    /** What is wrong with {@code doc}; empty when it is valid. */
    List<String> errors(JsonNode doc) throws IOException {
        String key = key(doc);
        if (BUILT_IN.containsKey(key)) {
            return builtIn(BUILT_IN.get(key), doc).map(List::of).orElse(List.of());
        }
        if (!knows(doc)) {
            return List.of("no schema for " + key);
        }
        List<String> out = new ArrayList<>();
        builtIn(V1ObjectMeta.class, doc.path("metadata")).ifPresent(out::add);
        if (STRIMZI.containsKey(key)) {
            strimzi(STRIMZI.get(key), doc, out);
            return out;
        }
        for (ValidationMessage m : schema(CUSTOM.get(key)).validate(doc)) {
            out.add(m.getMessage());
        }
        return out;
    }

    private static void strimzi(Class<?> model, JsonNode doc, List<String> out) {
        try {
            unknown(JSON.treeToValue(doc, model), "", out);
        } catch (JsonProcessingException e) {
            out.add(model.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    /** Unknown fields (kept aside by Strimzi's models) and values no enum of the model knows (read as null). */
    private static void unknown(Object o, String path, List<String> out) {
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object x : c) {
                if (x == null) {
                    out.add(path + "[" + i + "]: unknown value");
                }
                unknown(x, path + "[" + i++ + "]", out);
            }
            return;
        }
        if (o == null || !o.getClass().getName().startsWith("io.strimzi.")) {
            return;
        }
        if (o instanceof UnknownPropertyPreserving u && u.getAdditionalProperties() != null) {
            u.getAdditionalProperties().keySet().forEach(k -> out.add(path + "/" + k + ": unknown field"));
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() == 0 && m.getName().startsWith("get") && !m.getName().equals("getAdditionalProperties")
                    && m.getDeclaringClass().getName().startsWith("io.strimzi.")) {
                try {
                    unknown(m.invoke(o), path + "/" + m.getName().substring(3), out);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static Optional<String> builtIn(Class<?> model, JsonNode doc) {
        JsonElement element = JsonParser.parseString(doc.toString());
        try {
            model.getMethod("validateJsonElement", JsonElement.class).invoke(null, element);
            return Optional.empty();
        } catch (InvocationTargetException e) {
            return Optional.of(model.getSimpleName() + ": " + e.getCause().getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonSchema schema(String file) throws IOException {
        try (InputStream in = ManifestValidator.class.getResourceAsStream("/k8s-schemas/" + file)) {
            if (in == null) {
                throw new IOException("schema " + file + " is not vendored under src/test/resources/k8s-schemas");
            }
            ObjectNode root = (ObjectNode) JSON.readTree(in);
            ((ObjectNode) root.path("properties")).set("metadata", JSON.createObjectNode().put("type", "object"));
            strict(root);
            return factory.getSchema(root);
        }
    }

    /**
     * Unknown fields fail, as under strict field validation: every object schema listing its
     * properties, without {@code additionalProperties} or {@code x-kubernetes-preserve-unknown-fields},
     * gets {@code additionalProperties: false}.
     */
    static void strict(JsonNode schema) {
        if (schema instanceof ObjectNode o) {
            if (o.has("properties") && !o.has("additionalProperties")
                    && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                o.put("additionalProperties", false);
            }
            for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) {
                strict(it.next());
            }
        } else if (schema.isArray()) {
            schema.forEach(ManifestValidator::strict);
        }
    }
}
