package dev.sluice.schemas.registry;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide registry every {@link dev.sluice.schemas.AvroSerde} uses, so serdes keep their
 * one-argument constructor. The process configures it once at start, before building any stage
 * ({@code Infrastructure} does); until then the system property {@value #URL_PROPERTY} may select one
 * ({@code mem://} for the in-process registry of unit tests, set by surefire; an http URL otherwise).
 * Using a serde with neither fails with a message saying what to set.
 */
public final class SchemaRegistries {
    private static final Logger log = LoggerFactory.getLogger(SchemaRegistries.class);
    public static final String URL_PROPERTY = "sluice.schema.registry.url";

    private static volatile Registry current;

    /** A client and whether producers may register their schemas. */
    public record Registry(SchemaRegistryClient client, boolean autoRegister, String description) {
    }

    private SchemaRegistries() {
    }

    /** Uses the registry at {@code url} from now on. */
    public static void configure(SchemaRegistryClient client, boolean autoRegister, String description) {
        current = new Registry(client, autoRegister, description);
        log.debug("schema registry {} (auto-register {})", description, autoRegister);
    }

    /** Uses a REST registry at {@code url} with default timeouts. */
    public static void configure(String url, boolean autoRegister) {
        configure(new RestSchemaRegistryClient(url, Duration.ofSeconds(10), 6), autoRegister, url);
    }

    /** The configured registry; fails with what to set when there is none. */
    public static Registry require() {
        Registry r = current;
        if (r == null) {
            r = fromSystemProperty();
        }
        return r;
    }

    /** Whether a registry is configured or selectable. */
    public static boolean isConfigured() {
        return current != null || System.getProperty(URL_PROPERTY) != null;
    }

    private static synchronized Registry fromSystemProperty() {
        if (current != null) {
            return current;
        }
        String url = System.getProperty(URL_PROPERTY);
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("no schema registry configured: set " + SchemaRegistryConfig.URL_CONFIG
                    + " (--schema-registry-url) to a Confluent-compatible registry, or leave it empty under `sluice run`"
                    + " to start the embedded one");
        }
        if (url.startsWith("mem:")) {
            configure(new InMemorySchemaRegistry(), true, url + " (in-process)");
        } else {
            configure(url, Boolean.getBoolean("sluice.schema.registry.auto.register"));
        }
        return current;
    }
}
