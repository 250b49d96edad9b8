package dev.sluice.topology.cli;

import dev.sluice.topology.Infrastructure;
import dev.sluice.topology.SluiceConfig;
import dev.sluice.topology.TopicBootstrap;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice topics create}: the pipeline's topics, created ahead of stages that may not create them. */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Manage the pipeline's topics.",
        subcommands = TopicsCommand.Create.class)
final class TopicsCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name what to do: create");
    }

    /**
     * Creates every topic the stages read or write, and their dead-letter topics, that does not exist
     * yet, with the stages' topic settings and {@code retention.ms} on dead-letter topics. Run as a
     * principal allowed to create topics, so the stages can run with {@code topics.create.on.start=false}.
     */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create the pipeline's missing topics (dead-letter topics with a retention); existing ones are left as they are.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOptions common;

        @Option(names = "--partitions", description = "Partitions of each topic (default topic.partitions, 8): the most replicas a stage can use.")
        Integer partitions;

        @Option(names = "--replication-factor", description = "Replication factor (default topic.replication.factor; -1 takes the broker's default).")
        Short replication;

        @Option(names = "--dlq-retention-ms", description = "retention.ms of dead-letter topics (default topic.dlq.retention.ms, 30 days).")
        Long dlqRetentionMs;

        @Option(names = "--dry-run", description = "Print every topic with its settings; connect to nothing, create nothing.")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            Map<String, String> specific = new HashMap<>();
            ConfigOptions.putIfSet(specific, SluiceConfig.PARTITIONS_CONFIG, partitions);
            ConfigOptions.putIfSet(specific, SluiceConfig.REPLICATION_CONFIG, replication);
            ConfigOptions.putIfSet(specific, SluiceConfig.DLQ_RETENTION_MS_CONFIG, dlqRetentionMs);
            SluiceConfig config = new SluiceConfig(common.collect(specific));
            List<NewTopic> plan = TopicBootstrap.plan(config);
            PrintStream out = System.out;
            if (dryRun) {
                plan.forEach(t -> out.println("would create " + describe(t)));
                out.println(plan.size() + " topics (dry run: nothing created)");
                return 0;
            }
            try (Infrastructure infra = Infrastructure.open(config, true, false);
                 Admin admin = Admin.create(new HashMap<>(infra.clientProps()))) {
                List<String> created = TopicBootstrap.ensure(admin, plan);
                for (NewTopic t : plan) {
                    out.println((created.contains(t.name()) ? "created " : "exists  ") + describe(t));
                }
                out.println(created.size() + " topics created, " + (plan.size() - created.size()) + " existed already");
            }
            return 0;
        }

        /** {@code name partitions=N replication.factor=R key=value...}, settings sorted. */
        static String describe(NewTopic t) {
            StringBuilder s = new StringBuilder(t.name()).append(" partitions=").append(t.numPartitions())
                    .append(" replication.factor=").append(t.replicationFactor() < 0 ? "default" : t.replicationFactor());
            new TreeMap<>(t.configs() == null ? Map.<String, String>of() : t.configs())
                    .forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
            return s.toString();
        }
    }
}
