package dev.sluice.runtime;

import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Every stage on the class path, found through {@link ServiceLoader} ({@link StageProvider}) and put
 * in data-flow order: a stage comes after the stages that write its inputs (ties by name), so
 * listings, {@code status} and the manifests read like the pipeline.
 */
public final class StageRegistry {
    private static volatile List<StageDefinition<?, ?, ?, ?>> cached;

    private StageRegistry() {
    }

    /**
     * The stages visible to the thread's context class loader (or this class's), cached: the built-in
     * ones and those of any jar added to the class path, e.g. a plugin jar beside the launcher's.
     */
    public static List<StageDefinition<?, ?, ?, ?>> all() {
        List<StageDefinition<?, ?, ?, ?>> c = cached;
        if (c == null) {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            c = discover(context != null ? context : StageRegistry.class.getClassLoader());
            cached = c;
        }
        return c;
    }

    /** Forgets the cached stages, so the next {@link #all} discovers them again (after the class path changed). */
    public static void reload() {
        cached = null;
    }

    /** The stages {@code loader} provides, in data-flow order; fails on two stages of one name. */
    public static List<StageDefinition<?, ?, ?, ?>> discover(ClassLoader loader) {
        Map<String, StageDefinition<?, ?, ?, ?>> byName = new LinkedHashMap<>();
        Map<String, String> from = new HashMap<>();
        for (StageProvider p : ServiceLoader.load(StageProvider.class, loader)) {
            StageDefinition<?, ?, ?, ?> d = p.definition();
            String before = from.putIfAbsent(d.name(), p.getClass().getName());
            if (before != null && !before.equals(p.getClass().getName())) {
                throw new IllegalStateException("two stages are named '" + d.name() + "': " + before + " and "
                        + p.getClass().getName() + "; rename one");
            }
            byName.put(d.name(), d);
        }
        return dataFlowOrder(List.copyOf(byName.values()));
    }

    /**
     * Data-flow order: by depth (the longest chain of stages writing into this one's inputs), then
     * by name, so stages of one step stand together; a cycle is cut at the first repeat.
     */
    static List<StageDefinition<?, ?, ?, ?>> dataFlowOrder(List<StageDefinition<?, ?, ?, ?>> defs) {
        Map<StageDefinition<?, ?, ?, ?>, Integer> depth = new HashMap<>();
        defs.forEach(d -> depth(d, defs, depth, new java.util.HashSet<>()));
        List<StageDefinition<?, ?, ?, ?>> out = new ArrayList<>(defs);
        out.sort(Comparator.<StageDefinition<?, ?, ?, ?>>comparingInt(depth::get).thenComparing(StageDefinition::name));
        return List.copyOf(out);
    }

    private static int depth(StageDefinition<?, ?, ?, ?> d, List<StageDefinition<?, ?, ?, ?>> defs,
                             Map<StageDefinition<?, ?, ?, ?>, Integer> memo, java.util.Set<StageDefinition<?, ?, ?, ?>> path) {
        Integer known = memo.get(d);
        if (known != null) {
            return known;
        }
        if (!path.add(d)) {
            return 0;
        }
        int max = 0;
        for (StageDefinition<?, ?, ?, ?> up : defs) {
            if (up != d && feeds(up, d)) {
                max = Math.max(max, depth(up, defs, memo, path) + 1);
            }
        }
        path.remove(d);
        memo.put(d, max);
        return max;
    }

    private static boolean feeds(StageDefinition<?, ?, ?, ?> a, StageDefinition<?, ?, ?, ?> b) {
        return a.outputTopics().stream().anyMatch(b.inputTopics()::contains);
    }
}
