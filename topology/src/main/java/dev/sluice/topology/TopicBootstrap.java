package dev.sluice.topology;

import dev.sluice.stage.Names;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the pipeline's topics (at start, or by {@code ./sluice topics create}) with the configured
 * partitions, the stages' topic settings and a retention on dead-letter topics; existing topics are
 * left as they are. Where the stages may not create topics, {@link #requireExisting} checks instead.
 */
public final class TopicBootstrap {
    private static final Logger log = LoggerFactory.getLogger(TopicBootstrap.class);
    /** The command that creates the topics beforehand, named in error messages. */
    public static final String CREATE_COMMAND = "./sluice topics create";

    private TopicBootstrap() {
    }

    public static List<String> ensure(Admin admin, List<String> topics, int partitions, short replication)
            throws InterruptedException, ExecutionException {
        return ensure(admin, topics, partitions, replication, Map.of());
    }

    /** As above, with topic-level settings (e.g. {@code max.message.bytes}) for the topics named in {@code configs}. */
    public static List<String> ensure(Admin admin, List<String> topics, int partitions, short replication,
                                      Map<String, Map<String, String>> configs)
            throws InterruptedException, ExecutionException {
        return ensure(admin, plan(topics, partitions, replication, configs));
    }

    /**
     * Every topic of the pipeline as {@code config} creates it, under its {@code topic.prefix}: partitions,
     * replication, settings, dead-letter retention.
     */
    public static List<NewTopic> plan(SluiceConfig config) {
        Names names = config.names();
        Map<String, Map<String, String>> configs = new HashMap<>();
        withDlqRetention(StageCatalog.topics(), StageCatalog.topicConfigs(), config.getLong(SluiceConfig.DLQ_RETENTION_MS_CONFIG))
                .forEach((topic, c) -> configs.put(names.topic(topic), c));
        return plan(names.topics(StageCatalog.topics()), config.getInt(SluiceConfig.PARTITIONS_CONFIG),
                config.getShort(SluiceConfig.REPLICATION_CONFIG), configs);
    }

    /** The topics to create; a replication of -1 or less takes the broker's default. */
    public static List<NewTopic> plan(List<String> topics, int partitions, short replication,
                                      Map<String, Map<String, String>> configs) {
        Optional<Short> rf = replication > 0 ? Optional.of(replication) : Optional.empty();
        return topics.stream().map(t -> new NewTopic(t, Optional.of(partitions), rf)
                .configs(configs.getOrDefault(t, Map.of()))).toList();
    }

    /** {@code configs} with {@code retention.ms} set on each dead-letter topic among {@code topics}. */
    public static Map<String, Map<String, String>> withDlqRetention(List<String> topics,
                                                                   Map<String, Map<String, String>> configs, long retentionMs) {
        Map<String, Map<String, String>> out = new HashMap<>(configs);
        topics.stream().filter(Names::isDlq).forEach(t -> {
            Map<String, String> c = new HashMap<>(configs.getOrDefault(t, Map.of()));
            c.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs));
            out.put(t, Map.copyOf(c));
        });
        return Map.copyOf(out);
    }

    /** Creates the topics of {@code plan} that do not exist yet; returns their names. */
    public static List<String> ensure(Admin admin, List<NewTopic> plan) throws InterruptedException, ExecutionException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = plan.stream().filter(t -> !existing.contains(t.name())).toList();
        if (missing.isEmpty()) {
            return List.of();
        }
        try {
            admin.createTopics(missing).all().get();
            log.info("created topics {}", missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        return missing.stream().map(NewTopic::name).toList();
    }

    /**
     * Checks that {@code topics} exist, with only Describe rights on them; fails naming the missing ones
     * and {@value #CREATE_COMMAND}, or the ones this principal may not describe.
     */
    public static void requireExisting(Admin admin, Collection<String> topics) throws InterruptedException {
        List<String> missing = new ArrayList<>();
        List<String> denied = new ArrayList<>();
        for (Map.Entry<String, KafkaFuture<org.apache.kafka.clients.admin.TopicDescription>> e
                : admin.describeTopics(topics).topicNameValues().entrySet()) {
            try {
                e.getValue().get();
            } catch (ExecutionException ex) {
                if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
                    missing.add(e.getKey());
                } else if (ex.getCause() instanceof TopicAuthorizationException) {
                    denied.add(e.getKey());
                } else {
                    throw new IllegalStateException("cannot describe topic " + e.getKey() + ": " + ex.getCause(), ex.getCause());
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("topics " + missing.stream().sorted().toList() + " do not exist and "
                    + SluiceConfig.TOPICS_CREATE_ON_START_CONFIG + " is false: create them first with `" + CREATE_COMMAND
                    + "` (as a principal allowed to create topics), or set " + SluiceConfig.TOPICS_CREATE_ON_START_CONFIG + "=true");
        }
        if (!denied.isEmpty()) {
            throw new IllegalStateException("this principal may not describe topics " + denied.stream().sorted().toList()
                    + " (or they do not exist): grant the stage's ACLs, or create them with `" + CREATE_COMMAND + "`");
        }
    }
}
