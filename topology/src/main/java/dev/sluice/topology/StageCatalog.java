package dev.sluice.topology;

import dev.sluice.blob.BlobStoreConfig;
import dev.sluice.runtime.RuntimeConfig;
import dev.sluice.runtime.StageRegistry;
import dev.sluice.stage.Names;
import dev.sluice.stage.StageDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Everything this process knows about its stages, derived from the {@link StageDefinition}s that the
 * jars on the class path contribute ({@code META-INF/services/dev.sluice.stage.StageProvider}): their
 * names (the {@code --stages} help), the topics to create with their dead-letter topics and sizes,
 * whether PostgreSQL is needed, and every setting for the reference and start-up validation. Adding
 * a stage edits nothing here.
 */
public final class StageCatalog {

    private StageCatalog() {
    }

    /** Every stage, in data-flow order. */
    public static List<StageDefinition<?, ?, ?, ?>> entries() {
        return StageRegistry.all();
    }

    /** The named stage; fails naming the known ones. */
    public static StageDefinition<?, ?, ?, ?> entry(String name) {
        return entries().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown stage '" + name + "'; known: " + names()));
    }

    public static List<String> names() {
        return entries().stream().map(StageDefinition::name).toList();
    }

    /** True when one of {@code stages} needs PostgreSQL. */
    public static boolean needsDatabase(List<String> stages) {
        return stages.stream().map(StageCatalog::entry).anyMatch(StageDefinition::needsDatabase);
    }

    /** Logical topics the pipeline needs (see {@link Names}): every stage's inputs and outputs, and the dead-letter topic of each input. */
    public static List<String> topics() {
        Set<String> all = new LinkedHashSet<>();
        for (StageDefinition<?, ?, ?, ?> d : entries()) {
            all.addAll(d.inputTopics());
            all.addAll(d.outputTopics());
        }
        for (String t : List.copyOf(all)) {
            if (!Names.isDlq(t)) {
                all.add(Names.logicalDlq(t));
            }
        }
        return List.copyOf(all);
    }

    /** Topics the named stages read or write: their inputs, outputs and dead-letter topics, each once. */
    public static List<String> topicsOf(List<String> stages) {
        Set<String> used = new LinkedHashSet<>();
        for (String s : stages) {
            StageDefinition<?, ?, ?, ?> d = entry(s);
            used.addAll(d.inputTopics());
            used.addAll(d.outputTopics());
            used.add(d.deadLetterTopic());
        }
        return List.copyOf(used);
    }

    /** Topic-level settings of created topics, from the stages that write them (e.g. {@code max.message.bytes}). */
    public static Map<String, Map<String, String>> topicConfigs() {
        Map<String, Map<String, String>> configs = new HashMap<>();
        entries().forEach(d -> configs.putAll(d.topicConfigs()));
        return Map.copyOf(configs);
    }

    /**
     * Validates the settings of the runtime and of every stage in {@code stages} against
     * {@code originals}; throws {@code ConfigException} saying which setting to change.
     */
    public static void validate(List<String> stages, Map<?, ?> originals) {
        new RuntimeConfig(originals);
        new BlobStoreConfig(originals, java.nio.file.Path.of(String.valueOf(originals.containsKey("data.dir")
                ? originals.get("data.dir") : "./data")));
        stages.forEach(s -> entry(s).parse(originals));
    }

    /** Every setting a process may be given: its own, the runtime's and every stage's, each once. */
    public static List<ConfigDef> configDefs() {
        List<ConfigDef> defs = new ArrayList<>(List.of(SluiceConfig.CONFIG, RuntimeConfig.CONFIG, BlobStoreConfig.CONFIG));
        entries().forEach(d -> defs.add(d.configDef()));
        return defs;
    }
}
