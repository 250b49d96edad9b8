package dev.sluice.topology;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the pipeline's topics at start, with the configured partitions; existing topics are left as they are. */
public final class TopicBootstrap {
    private static final Logger log = LoggerFactory.getLogger(TopicBootstrap.class);

    private TopicBootstrap() {
    }

    public static void ensure(Admin admin, List<String> topics, int partitions, short replication)
            throws InterruptedException, ExecutionException {
        ensure(admin, topics, partitions, replication, java.util.Map.of());
    }

    /** As above, with topic-level settings (e.g. {@code max.message.bytes}) for the topics named in {@code configs}. */
    public static void ensure(Admin admin, List<String> topics, int partitions, short replication,
                              java.util.Map<String, java.util.Map<String, String>> configs)
            throws InterruptedException, ExecutionException {
        Set<String> existing = admin.listTopics().names().get();
        Optional<Short> rf = replication > 0 ? Optional.of(replication) : Optional.empty();
        List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                .map(t -> new NewTopic(t, Optional.of(partitions), rf).configs(configs.getOrDefault(t, java.util.Map.of()))).toList();
        if (missing.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(missing).all().get();
            log.info("created topics {} with {} partitions", missing.stream().map(NewTopic::name).toList(), partitions);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
