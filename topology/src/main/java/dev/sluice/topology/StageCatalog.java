package dev.sluice.topology;

import dev.sluice.sinks.postgres.HnItemsWriter;
import dev.sluice.stages.hn.HnTopics;
import dev.sluice.stages.hn.ItemFetchStage;
import dev.sluice.stages.hn.LinkStage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every stage the pipeline knows, in data-flow order: adding a stage is one line here. A
 * {@code StageDefinition} becomes a Kafka Streams app when its concurrency is 1 and a transactional
 * loop otherwise ({@link Runners#of}); sinks and the watermark have runners of their own. Every
 * stage consumes as group {@code sluice-<name>} and dead-letters to {@code <input>.dlq}.
 *
 * <p>Each entry also carries its {@link Scaling} (lag per replica, replica bounds, resources), from
 * which {@code ./sluice k8s generate} writes the stage's Deployment and scaler and the autoscale demo
 * sizes its instances; a stage that sets none gets {@link Scaling#DEFAULT}.
 */
public final class StageCatalog {

    /**
     * A stage's name, input topic, output topic ({@code ""} when it writes outside Kafka), scaling and factory.
     */
    public record Entry(String name, String inputTopic, String outputTopic, Scaling scaling,
                        Function<StageContext, RunningStage> factory) {
        public String groupId() {
            return "sluice-" + name;
        }

        public String deadLetterTopic() {
            return HnTopics.dlq(inputTopic);
        }
    }

    private static final Map<String, Entry> STAGES = new LinkedHashMap<>();

    static {
        add(WatermarkStage.NAME, HnTopics.MAXITEM, HnTopics.ITEM_IDS, Scaling.singleton(), WatermarkStage::new);
        add(ItemFetchStage.NAME, HnTopics.ITEM_IDS, HnTopics.ITEMS, Scaling.DEFAULT.lagThreshold(2_000),
                c -> Runners.of(ItemFetchStage.definition(c.hn()), c));
        add(LinkStage.NAME, HnTopics.ITEMS, HnTopics.LINKS, Scaling.DEFAULT.lagThreshold(5_000).replicas(1, 4),
                c -> Runners.of(LinkStage.definition(), c));
        add("store", HnTopics.ITEMS, "", Scaling.DEFAULT.lagThreshold(5_000).replicas(1, 4),
                c -> Runners.postgres("store", HnTopics.ITEMS, new HnItemsWriter(), c));
    }

    private StageCatalog() {
    }

    /** A stage with the default {@link Scaling} and no known output topic. */
    private static void add(String name, String input, Function<StageContext, RunningStage> factory) {
        add(name, input, "", Scaling.DEFAULT, factory);
    }

    private static void add(String name, String input, String output, Scaling scaling,
                            Function<StageContext, RunningStage> factory) {
        STAGES.put(name, new Entry(name, input, output, scaling, factory));
    }

    /** The named entry. */
    public static Entry entry(String name) {
        Entry e = STAGES.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown stage '" + name + "'; known: " + names());
        }
        return e;
    }

    public static List<String> names() {
        return List.copyOf(STAGES.keySet());
    }

    public static List<Entry> entries() {
        return List.copyOf(STAGES.values());
    }

    /** Builds the named stage (not yet started). */
    public static RunningStage create(String name, StageContext context) {
        return entry(name).factory().apply(context);
    }

    /** Topics the pipeline needs, dead-letter topics included. */
    public static List<String> topics() {
        return HnTopics.all();
    }
}
