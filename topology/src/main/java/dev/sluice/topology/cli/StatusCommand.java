package dev.sluice.topology.cli;

import dev.sluice.topology.Infrastructure;
import dev.sluice.topology.LagMonitor;
import dev.sluice.topology.SluiceConfig;
import dev.sluice.topology.StageCatalog;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice status}: per stage, lag, records consumed and dead-lettered. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Per stage: partitions, lag, records in, dead-lettered.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions common;

    @Override
    public Integer call() throws Exception {
        SluiceConfig config = new SluiceConfig(common.collect(Map.of()));
        try (Infrastructure infra = Infrastructure.open(config, true, false);
             Admin admin = Admin.create(new HashMap<>(infra.clientProps()));
             LagMonitor lag = new LagMonitor(admin, infra.clientProps())) {
            System.out.printf("%-20s %-28s %5s %10s %12s %8s%n", "STAGE", "INPUT", "PARTS", "LAG", "CONSUMED", "DLQ");
            for (StageCatalog.Entry e : StageCatalog.entries()) {
                Map<TopicPartition, Long> perPartition = lag.lag(e.groupId(), e.inputTopic());
                long total = perPartition.values().stream().mapToLong(Long::longValue).sum();
                System.out.printf("%-20s %-28s %5d %10d %12d %8d%n", e.name(), e.inputTopic(), perPartition.size(), total,
                        consumed(admin, e.groupId()), lag.countRecords(e.deadLetterTopic()));
            }
        }
        return 0;
    }

    private static long consumed(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                .filter(java.util.Objects::nonNull).mapToLong(o -> o.offset()).sum();
    }

}
