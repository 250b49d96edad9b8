package dev.sluice.schemas.registry;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Where the schema registry is and how the serdes use it. */
public final class SchemaRegistryConfig extends AbstractConfig {
    public static final String URL_CONFIG = "schema.registry.url";
    public static final String URL_DOC = "Base URL of a registry speaking the Confluent Schema Registry REST API (Confluent, Karapace, Redpanda, Apicurio's http://HOST:PORT/apis/ccompat/v7); empty starts the embedded Apicurio Registry with its storage under data.dir/registry.";
    public static final String AUTO_REGISTER_CONFIG = "schema.registry.auto.register";
    public static final String AUTO_REGISTER_DOC = "Whether a producer registers its schema under <topic>-value on first use. Off in production: schemas are registered by `sluice schemas-check --register` (the compatibility gate), and `sluice run` fails at start naming the subjects a registry lacks; the embedded registry gets every schema registered at start.";
    public static final String TIMEOUT_MS_CONFIG = "schema.registry.request.timeout.ms";
    public static final String TIMEOUT_MS_DOC = "Timeout of one request to the registry.";
    public static final String ATTEMPTS_CONFIG = "schema.registry.request.attempts";
    public static final String ATTEMPTS_DOC = "Attempts of a request that fails to connect or gets a 5xx, with a doubling pause from 200 ms; then the stage fails (the record is not dead-lettered: the registry, not the record, is at fault).";

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(URL_CONFIG, Type.STRING, "", Importance.HIGH, URL_DOC)
            .define(AUTO_REGISTER_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM, AUTO_REGISTER_DOC)
            .define(TIMEOUT_MS_CONFIG, Type.INT, 10_000, Range.between(100, 600_000), Importance.LOW, TIMEOUT_MS_DOC)
            .define(ATTEMPTS_CONFIG, Type.INT, 6, Range.between(1, 100), Importance.LOW, ATTEMPTS_DOC);

    public SchemaRegistryConfig(Map<?, ?> props) {
        super(CONFIG, props, false);
        String url = getString(URL_CONFIG);
        if (!url.isBlank() && !url.startsWith("http://") && !url.startsWith("https://")) {
            throw new ConfigException(URL_CONFIG + " must be an http:// or https:// URL, not '" + url + "'");
        }
    }

    public String url() {
        return getString(URL_CONFIG);
    }

    public boolean autoRegister() {
        return getBoolean(AUTO_REGISTER_CONFIG);
    }

    /** A client for {@code url} with these settings. */
    public SchemaRegistryClient client(String url) {
        return new RestSchemaRegistryClient(url, java.time.Duration.ofMillis(getInt(TIMEOUT_MS_CONFIG)),
                getInt(ATTEMPTS_CONFIG));
    }
}
