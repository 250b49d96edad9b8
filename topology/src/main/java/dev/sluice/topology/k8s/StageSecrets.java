package dev.sluice.topology.k8s;

import static dev.sluice.topology.k8s.Yaml.map;

import dev.sluice.stage.StageDefinition;
import dev.sluice.stages.summarise.SummariseConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Secret of one workload ({@code sluice-<stage>}, {@code sluice-lag-exporter}) holds: only
 * what that stage needs. Always {@value #CREDENTIALS} (the Kafka SASL/TLS settings of its own
 * KafkaUser, mounted and given as {@code --config}); the database URL only to a stage that
 * {@link StageDefinition#needsDatabase() needs the database}; the LLM API key only to one that
 * {@link StageDefinition.Use#LLM calls the LLM}; the S3 keys only to one that
 * {@link StageDefinition.Use#BLOB_STORE touches blobs}. Each value reaches the container as an
 * environment variable from a {@code secretKeyRef}; the manifests never carry a value, except the
 * placeholders of the {@code dev} overlay's templates.
 */
final class StageSecrets {
    static final String CREDENTIALS = "credentials.properties";
    static final String DB_URL_ENV = "SLUICE_DB_URL";

    /** One key of the Secret, the variable it is given as, and the dev overlay's placeholder. */
    record Entry(String key, String env, String placeholder) {
    }

    private StageSecrets() {
    }

    /** The keys of {@code e}'s Secret besides {@value #CREDENTIALS}. */
    static List<Entry> entries(StageDefinition<?, ?, ?, ?> e) {
        List<Entry> out = new ArrayList<>();
        if (e.needsDatabase()) {
            out.add(new Entry("db.url", DB_URL_ENV, "jdbc:postgresql://postgres:5432/sluice?user=" + e.workloadName()));
        }
        if (e.uses(StageDefinition.Use.LLM)) {
            Object env = e.configDef().defaultValues().get(SummariseConfig.API_KEY_ENV_CONFIG);
            if (env == null) {
                throw new IllegalStateException("stage " + e.name() + " uses the LLM but does not define "
                        + SummariseConfig.API_KEY_ENV_CONFIG + ": add SummariseConfig.CONFIG to its config");
            }
            out.add(new Entry("llm.api.key", env.toString(), "replace-me"));
        }
        if (e.uses(StageDefinition.Use.BLOB_STORE)) {
            out.add(new Entry("aws.access.key.id", "AWS_ACCESS_KEY_ID", "replace-me"));
            out.add(new Entry("aws.secret.access.key", "AWS_SECRET_ACCESS_KEY", "replace-me"));
        }
        return out;
    }

    /** The container's variables read from {@code secret}. */
    static List<Object> env(String secret, List<Entry> entries) {
        return entries.stream().map(en -> (Object) map("name", en.env(), "valueFrom",
                map("secretKeyRef", map("name", secret, "key", en.key())))).toList();
    }

    /** A Secret {@code name} with placeholder values, for the dev overlay (prod creates its own). */
    static Map<String, Object> template(String name, String component, List<Entry> entries) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(CREDENTIALS, "# dev: PLAINTEXT broker, no credentials\n");
        entries.forEach(en -> data.put(en.key(), en.placeholder()));
        return Workloads.with(Workloads.with(Yaml.object("v1", "Secret", Workloads.metadata(name, component)),
                "type", "Opaque"), "stringData", data);
    }
}
