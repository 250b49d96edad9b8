package dev.sluice.topology;

import dev.sluice.stage.Names;
import dev.sluice.stage.StageDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code sluice run} says at start: one line per stage, in data-flow order, with its name, kind
 * and runtime, the topics it reads and writes, and its consumer group; columns aligned.
 *
 * <pre>
 * fetch      stateless: transactional loop x64  sluice.hn.item-ids -&gt; sluice.hn.items  group sluice-fetch
 * threads    stateful: Kafka Streams            sluice.hn.thread-comments -&gt; ...      group sluice-threads
 * </pre>
 */
public final class StartSummary {
    private StartSummary() {
    }

    /**
     * One line per definition of {@code stages}.
     *
     * @param originals the process's settings, which resolve config-dependent values (a loop's concurrency)
     * @param names     the deployment's physical topics and groups
     */
    public static List<String> lines(List<StageDefinition<?, ?, ?, ?>> stages, Map<?, ?> originals, Names names) {
        List<String[]> rows = new ArrayList<>();
        for (StageDefinition<?, ?, ?, ?> def : stages) {
            rows.add(new String[] {def.name(), runtime(def, originals), flow(def, names), "group " + def.groupId(names)});
        }
        int[] width = new int[3];
        for (String[] row : rows) {
            for (int c = 0; c < width.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            lines.add(pad(row[0], width[0]) + "  " + pad(row[1], width[1]) + "  " + pad(row[2], width[2]) + "  " + row[3]);
        }
        return lines;
    }

    /** Kind and runtime: {@code stateless: transactional loop x64} (its concurrency), {@code stateful: Kafka Streams}, {@code custom}. */
    static String runtime(StageDefinition<?, ?, ?, ?> def, Map<?, ?> originals) {
        return switch (def.kind()) {
            case STATELESS -> "stateless: transactional loop x" + def.concurrency(def.parse(originals));
            case STATEFUL -> "stateful: Kafka Streams";
            case CUSTOM -> "custom";
        };
    }

    /** {@code in1, in2 -> out1}; a stage that writes no topic writes to PostgreSQL when it needs it, else outside Kafka. */
    static String flow(StageDefinition<?, ?, ?, ?> def, Names names) {
        String elsewhere = def.needsDatabase() ? "PostgreSQL" : "outside Kafka";
        String out = def.outputTopics().isEmpty() ? elsewhere : String.join(", ", names.topics(def.outputTopics()));
        return String.join(", ", names.topics(def.inputTopics())) + " -> " + out;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }
}
