package dev.sluice.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaRegistryClient} over the Confluent Schema Registry REST API (JSON bodies of type
 * {@code application/vnd.schemaregistry.v1+json}). Connection failures and 5xx answers are retried
 * {@code attempts} times with a doubling pause; 404s and 409s are answers, never retried.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
    private static final Logger log = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    private static final String JSON = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String base;
    private final Duration timeout;
    private final int attempts;
    private final HttpClient http;

    /** @param baseUrl e.g. {@code http://127.0.0.1:8081} or Apicurio's {@code http://host:port/apis/ccompat/v7} */
    public RestSchemaRegistryClient(String baseUrl, Duration timeout, int attempts) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        this.attempts = Math.max(1, attempts);
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * {@inheritDoc} A 409 is also what Apicurio answers to the loser of two concurrent first
     * registrations ("artifact already exists"): the schema is then looked up, and registered once more
     * before the 409 is taken as a refusal.
     */
    @Override
    public int register(String subject, Schema schema) {
        Answer a = call("POST", "/subjects/" + enc(subject) + "/versions", body(schema));
        for (int retry = 0; a.status == 409 && retry < 2; retry++) {
            OptionalInt raced = lookup(subject, schema);
            if (raced.isPresent()) {
                return raced.getAsInt();
            }
            a = call("POST", "/subjects/" + enc(subject) + "/versions", body(schema));
        }
        if (a.status == 409) {
            throw new IncompatibleSchemaException("the registry refused the schema of " + schema.getFullName()
                    + " under subject " + subject + ": " + a.message());
        }
        return a.expectOk("register under " + subject).get("id").asInt();
    }

    @Override
    public OptionalInt lookup(String subject, Schema schema) {
        Answer a = call("POST", "/subjects/" + enc(subject), body(schema));
        return a.status == 404 ? OptionalInt.empty() : OptionalInt.of(a.expectOk("look up in " + subject).get("id").asInt());
    }

    @Override
    public Schema schemaById(int id) {
        Answer a = call("GET", "/schemas/ids/" + id, null);
        if (a.status == 404) {
            throw new UnknownSchemaIdException(id, "the registry at " + base + " answered: " + a.message());
        }
        return new Schema.Parser().parse(a.expectOk("schema " + id).get("schema").asText());
    }

    @Override
    public Optional<Schema> latest(String subject) {
        Answer a = call("GET", "/subjects/" + enc(subject) + "/versions/latest", null);
        return a.status == 404 ? Optional.empty()
                : Optional.of(new Schema.Parser().parse(a.expectOk("latest of " + subject).get("schema").asText()));
    }

    @Override
    public Compatibility checkCompatibility(String subject, Schema schema) {
        Answer a = call("POST", "/compatibility/subjects/" + enc(subject) + "/versions/latest?verbose=true", body(schema));
        if (a.status == 404) {
            return new Compatibility(true, "subject " + subject + " has no version yet");
        }
        JsonNode j = a.expectOk("compatibility under " + subject);
        String reason = j.hasNonNull("reason") ? j.get("reason").asText() : j.path("messages").toString();
        return new Compatibility(j.path("is_compatible").asBoolean(), reason);
    }

    @Override
    public List<String> subjects() {
        List<String> out = new ArrayList<>();
        call("GET", "/subjects", null).expectOk("subjects").forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String body(Schema schema) {
        return MAPPER.createObjectNode().put("schema", schema.toString()).toString();
    }

    private Answer call(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).header("Accept", JSON);
        b = body == null ? b.GET() : b.header("Content-Type", JSON).method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpRequest req = b.build();
        Exception last = null;
        for (int i = 1; i <= attempts; i++) {
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() < 500) {
                    return new Answer(r.statusCode(), r.body());
                }
                last = new IOException("HTTP " + r.statusCode() + ": " + r.body());
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted calling the schema registry", e);
            }
            log.warn("schema registry {} {} failed (attempt {}/{}): {}", method, base + path, i, attempts, last.toString());
            pause(100L << Math.min(i, 6));
        }
        throw new SchemaRegistryException("schema registry at " + base + " unavailable for " + method + " " + path
                + " after " + attempts + " attempts: " + last, last);
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Answer(int status, String body) {
        JsonNode expectOk(String what) {
            if (status / 100 != 2) {
                throw new SchemaRegistryException("schema registry refused " + what + ": HTTP " + status + " " + body);
            }
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new SchemaRegistryException("schema registry answered non-JSON to " + what + ": " + body, e);
            }
        }

        String message() {
            try {
                return MAPPER.readTree(body).path("message").asText(body);
            } catch (IOException e) {
                return body;
            }
        }
    }
}
