package dev.sluice.topology.cli;

import dev.sluice.schemas.registry.SchemaRegistryConfig;
import dev.sluice.stages.hn.HnConfig;
import dev.sluice.stages.summarise.SummariseConfig;
import dev.sluice.topology.SluiceConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Option;

/** Options every command shares: where the data and the services are, and free-form settings. */
public class ConfigOptions {
    @Option(names = "--data-dir", description = "Data directory of the embedded services (default ./data).")
    String dataDir;

    @Option(names = "--bootstrap-servers", description = "External Kafka cluster; default: the embedded broker.")
    String bootstrapServers;

    @Option(names = "--db-url", description = "External PostgreSQL JDBC URL; default: the embedded PostgreSQL.")
    String dbUrl;

    @Option(names = "--schema-registry-url", description = "External schema registry (Confluent REST API); default: the embedded Apicurio Registry.")
    String schemaRegistryUrl;

    @Option(names = "--config", description = "A properties file of settings (see docs/configuration.md); repeatable, later files win.")
    List<Path> configFiles = new ArrayList<>();

    @Option(names = {"-s", "--set"}, description = "One setting, key=value (repeatable); kafka.* keys pass to the Kafka clients, e.g. kafka.security.protocol=SASL_SSL.")
    Map<String, String> settings = new LinkedHashMap<>();

    /** All settings: file, then --set, then the named options; unknown keys fail. */
    public Map<String, String> collect(Map<String, String> commandSpecific) throws IOException {
        Map<String, String> props = new HashMap<>();
        for (Path configFile : configFiles) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(configFile)) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k)));
        }
        props.putAll(settings);
        putIfSet(props, SluiceConfig.DATA_DIR_CONFIG, dataDir);
        putIfSet(props, SluiceConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        putIfSet(props, SluiceConfig.DB_URL_CONFIG, dbUrl);
        putIfSet(props, SchemaRegistryConfig.URL_CONFIG, schemaRegistryUrl);
        commandSpecific.forEach((k, v) -> putIfSet(props, k, v));
        rejectUnknown(props.keySet());
        return props;
    }

    static void putIfSet(Map<String, String> props, String key, Object value) {
        if (value != null) {
            props.put(key, value.toString());
        }
    }

    private static void rejectUnknown(Set<String> keys) {
        Set<String> known = new TreeSet<>(SchemaRegistryConfig.CONFIG.names());
        dev.sluice.topology.StageCatalog.configDefs().forEach(d -> known.addAll(d.names()));
        for (String k : keys) {
            if (!known.contains(k) && !k.startsWith(SluiceConfig.KAFKA_PREFIX)) {
                throw new ConfigException("unknown setting '" + k + "'; known settings are listed in docs/configuration.md");
            }
        }
    }
}
