package dev.sluice.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * An in-process registry with the same client interface and the BACKWARD rule, for unit tests
 * (TopologyTestDriver) that run without a registry server, as TopologyTestDriver runs without a broker.
 * Selected by {@code sluice.schema.registry.url=mem://...}; integration tests and {@code make run} use
 * a real registry.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {
    private final Map<Schema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<String, List<Schema>> versions = new ConcurrentHashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Schema> v = versions.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!v.contains(schema)) {
            Compatibility c = checkCompatibility(subject, schema);
            if (!c.compatible()) {
                throw new IncompatibleSchemaException("the registry refused the schema of " + schema.getFullName()
                        + " under subject " + subject + ": " + c.reason());
            }
            v.add(schema);
        }
        return ids.computeIfAbsent(schema, s -> {
            byId.put(ids.size() + 1, s);
            return ids.size() + 1;
        });
    }

    @Override
    public synchronized OptionalInt lookup(String subject, Schema schema) {
        return versions.getOrDefault(subject, List.of()).contains(schema) ? OptionalInt.of(ids.get(schema))
                : OptionalInt.empty();
    }

    @Override
    public Schema schemaById(int id) {
        Schema s = byId.get(id);
        if (s == null) {
            throw new UnknownSchemaIdException(id, "not in the in-memory registry");
        }
        return s;
    }

    @Override
    public synchronized Optional<Schema> latest(String subject) {
        List<Schema> v = versions.getOrDefault(subject, List.of());
        return v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    @Override
    public Compatibility checkCompatibility(String subject, Schema schema) {
        return latest(subject).map(prev -> BackwardCompatibility.violations(schema, prev))
                .map(v -> new Compatibility(v.isEmpty(), v.isEmpty() ? null : v.toString()))
                .orElse(new Compatibility(true, null));
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(versions.keySet());
    }
}
