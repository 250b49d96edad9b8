package dev.sluice.topology.it.chaos;

import dev.sluice.stage.Names;
import dev.sluice.topology.LagMonitor;
import dev.sluice.topology.StageCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;

/**
 * What the fleet's stages have left to process: records of each stage's input topics beyond its
 * group's committed offsets (transaction markers not counted, {@link LagMonitor}), read in data-flow
 * order, so a stage found caught up gets no more input from one read before it. The run has
 * converged only when this is zero, since a stage still busy (or stalled) when the fleet stops
 * would leave work that no instance is left to replay.
 */
public final class PipelineLag {
    private final Supplier<Map<String, Object>> clientProps;
    private final List<String> stages;

    /** {@code stageLists}: comma-separated stage lists, as the instances run them. */
    public PipelineLag(Supplier<Map<String, Object>> clientProps, String... stageLists) {
        this.clientProps = clientProps;
        List<String> all = new ArrayList<>();
        for (String list : stageLists) {
            all.addAll(List.of(list.split(",")));
        }
        this.stages = StageCatalog.names().stream().filter(all::contains).toList();
    }

    /** Stages with records left, and how many (empty when every stage has caught up). */
    public Map<String, Long> behind() throws Exception {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        try (Admin admin = Admin.create(new HashMap<>(clientProps.get()));
             LagMonitor lag = new LagMonitor(admin, clientProps.get())) {
            for (String stage : stages) {
                long n = 0;
                for (String topic : StageCatalog.entry(stage).inputTopics()) {
                    n += lag.totalLag(Names.DEFAULT.groupId(stage), topic);
                }
                if (n > 0) {
                    out.put(stage, n);
                }
            }
        }
        return out;
    }
}
