package dev.sluice.stage;

/**
 * The one place that names what a stage owns on the broker: its consumer group, its dead-letter
 * topic, its transactional and client ids. Every runner, the lag exporter, {@code status}, the
 * re-drive tool and the generated ACLs use these, so they always agree.
 */
public final class Names {
    /** Prefix of every consumer group, Streams application id and transactional id. */
    public static final String PREFIX = "sluice-";
    /** Suffix of a dead-letter topic. */
    public static final String DLQ_SUFFIX = ".dlq";

    private Names() {
    }

    /** Consumer group (and Kafka Streams application id) of a stage. */
    public static String groupId(String stage) {
        return PREFIX + stage;
    }

    /** Dead-letter topic of records read from {@code inputTopic}. */
    public static String dlq(String inputTopic) {
        return inputTopic + DLQ_SUFFIX;
    }

    /** True when {@code topic} is a dead-letter topic. */
    public static boolean isDlq(String topic) {
        return topic.endsWith(DLQ_SUFFIX);
    }

    /**
     * Transactional id of one instance of a stage: stable across restarts of that instance, so a
     * restarted instance fences its predecessor and aborts its open transaction at once.
     */
    public static String transactionalId(String stage, String instanceId) {
        return groupId(stage) + "-" + instanceId;
    }

    /** Static group membership id (and client id) of one instance of a stage. */
    public static String memberId(String stage, String instanceId) {
        return groupId(stage) + "-" + instanceId;
    }
}
