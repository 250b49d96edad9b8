package dev.sluice.topology.cli;

import dev.sluice.stage.Names;
import dev.sluice.stage.StageDefinition;
import dev.sluice.topology.LagMonitor;
import dev.sluice.topology.StageCatalog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** One reading of every stage's figures from Kafka, for {@code sluice status}. */
final class StageStatus {
    /**
     * @param consumed      the group's committed offsets, summed (their change over time is records/s in)
     * @param produced      end offsets of the output topic, summed (records/s out; includes commit markers)
     * @param deadLettered  records in the stage's dead-letter topic
     * @param instances     members of the stage's consumer group
     * @param stalls        partitions held back by an outage, as {@code topic-partition: stalled since ..., last error ...}
     */
    record Reading(long atNanos, int partitions, long lag, long consumed, long produced, long deadLettered, int instances,
                   List<String> stalls) {
    }

    private final Admin admin;
    private final LagMonitor lag;
    private final Names names;

    /** Reads the topics and groups {@code names} gives (this deployment's {@code topic.prefix}). */
    StageStatus(Admin admin, LagMonitor lag, Names names) {
        this.admin = admin;
        this.lag = lag;
        this.names = names;
    }

    Map<String, Reading> readAll() throws ExecutionException, InterruptedException {
        Map<String, Reading> out = new LinkedHashMap<>();
        for (StageDefinition<?, ?, ?, ?> e : StageCatalog.entries()) {
            long at = System.nanoTime();
            String group = e.groupId(names);
            Map<TopicPartition, Long> perPartition = lag.lag(group, names.topic(e.inputTopic()));
            long total = perPartition.values().stream().mapToLong(Long::longValue).sum();
            out.put(e.name(), new Reading(at, perPartition.size(), total, consumed(group),
                    e.outputTopic().isEmpty() ? 0 : endOffsets(names.topic(e.outputTopic())),
                    lag.countRecords(names.topic(e.deadLetterTopic())), instances(group), stalls(group)));
        }
        return out;
    }

    /** Partitions whose committed offset carries the loop's "stalled since" mark. */
    private List<String> stalls(String group) throws ExecutionException, InterruptedException {
        List<String> out = new java.util.ArrayList<>();
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().forEach((tp, om) -> {
            if (om != null && om.metadata() != null && om.metadata().startsWith("stalled since ")) {
                out.add(tp + " at offset " + om.offset() + ": " + om.metadata());
            }
        });
        return out;
    }

    private long consumed(String group) throws ExecutionException, InterruptedException {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                .filter(Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
    }

    private long endOffsets(String topic) throws ExecutionException, InterruptedException {
        List<TopicPartition> parts = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, OffsetSpec> specs = new LinkedHashMap<>();
        parts.forEach(tp -> specs.put(tp, OffsetSpec.latest()));
        return admin.listOffsets(specs).all().get().values().stream().mapToLong(i -> i.offset()).sum();
    }

    private int instances(String group) throws InterruptedException {
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
            return d.members().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            return -1;
        }
    }
}
