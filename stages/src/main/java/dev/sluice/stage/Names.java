package dev.sluice.stage;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The one place that names what a deployment owns on the broker: physical topics, consumer groups
 * (and Kafka Streams application ids), dead-letter topics, transactional and client ids. Every
 * runner, topic creation, the lag exporter, {@code status}, the re-drive tool and the generated
 * manifests use one instance, so they always agree.
 *
 * <p>Stage definitions and the topic constants ({@code HnTopics}, {@code DocumentTopics}, ...) name
 * <em>logical</em> topics. A deployment's {@code topic.prefix} is prepended to every name it puts on
 * the broker, so several deployments (or test runs) share one cluster without seeing each other:
 * with prefix {@code it1.}, {@code sluice.hn.items} is the topic {@code it1.sluice.hn.items} and
 * stage {@code fetch} consumes as group {@code it1.sluice-fetch}. {@link #DEFAULT} (no prefix) gives
 * the names of a deployment without one.
 */
public final class Names {
    /** Start of every consumer group, Streams application id and transactional id, after the prefix. */
    public static final String GROUP_PREFIX = "sluice-";
    /** Suffix of a dead-letter topic. */
    public static final String DLQ_SUFFIX = ".dlq";
    /** Longest {@code topic.prefix}: leaves room under Kafka's 249 characters for every name. */
    public static final int MAX_PREFIX_LENGTH = 100;
    /** The names of a deployment without a prefix. */
    public static final Names DEFAULT = new Names("");
    /** Checks a {@code topic.prefix} setting (see {@link #of}). */
    public static final ConfigDef.Validator PREFIX_VALIDATOR = new PrefixValidator();

    private static final String LEGAL = "[a-zA-Z0-9._-]*";

    private final String prefix;

    private Names(String prefix) {
        this.prefix = prefix;
    }

    /**
     * The names under {@code prefix}: only Kafka's topic characters {@code [a-zA-Z0-9._-]}, at most
     * {@value #MAX_PREFIX_LENGTH} of them; {@code ""} is {@link #DEFAULT}.
     *
     * @throws IllegalArgumentException saying what to change otherwise
     */
    public static Names of(String prefix) {
        String problem = problem(Objects.requireNonNull(prefix, "prefix"));
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return prefix.isEmpty() ? DEFAULT : new Names(prefix);
    }

    /** Why {@code prefix} is not a valid prefix, or null. */
    static String problem(String prefix) {
        if (prefix.length() > MAX_PREFIX_LENGTH) {
            return "topic prefix '" + prefix + "' has " + prefix.length() + " characters; use at most " + MAX_PREFIX_LENGTH;
        }
        if (!prefix.matches(LEGAL)) {
            return "topic prefix '" + prefix + "' may only hold letters, digits, '.', '_' and '-' (Kafka's topic"
                    + " characters), e.g. 'it1.'; remove " + prefix.replaceAll("[a-zA-Z0-9._-]", "").chars().distinct()
                    .mapToObj(c -> "'" + (char) c + "'").toList();
        }
        return null;
    }

    /** The prefix, {@code ""} for none. */
    public String prefix() {
        return prefix;
    }

    /** The physical topic of a logical one: {@code prefix + logical}. */
    public String topic(String logical) {
        return prefix + logical;
    }

    /** The physical topics of logical ones, in order. */
    public List<String> topics(Collection<String> logical) {
        return logical.stream().map(this::topic).toList();
    }

    /** The physical dead-letter topic of records read from the logical {@code inputTopic}. */
    public String dlq(String inputTopic) {
        return topic(logicalDlq(inputTopic));
    }

    /** The logical dead-letter topic of the logical {@code inputTopic}: {@code <input>.dlq}. */
    public static String logicalDlq(String inputTopic) {
        return inputTopic + DLQ_SUFFIX;
    }

    /** True when {@code topic} (logical or physical) is a dead-letter topic. */
    public static boolean isDlq(String topic) {
        return topic.endsWith(DLQ_SUFFIX);
    }

    /** The logical name of a physical one of this deployment, or {@code physical} itself when it is not ours. */
    public String logical(String physical) {
        return owns(physical) ? physical.substring(prefix.length()) : physical;
    }

    /** True when {@code physical} (a topic, group or transactional id) carries this deployment's prefix. */
    public boolean owns(String physical) {
        return physical.startsWith(prefix);
    }

    /** A client id of this deployment: {@code prefix + id}, e.g. {@code it1.sluice-document-producer}. */
    public String clientId(String id) {
        return prefix + id;
    }

    /** Consumer group (and Kafka Streams application id) of a stage: {@code prefix + "sluice-" + stage}. */
    public String groupId(String stage) {
        return prefix + GROUP_PREFIX + stage;
    }

    /**
     * Transactional id of one instance of a stage: stable across restarts of that instance, so a
     * restarted instance fences its predecessor and aborts its open transaction at once.
     */
    public String transactionalId(String stage, String instanceId) {
        return groupId(stage) + "-" + instanceId;
    }

    /** Static group membership id (and client id) of one instance of a stage. */
    public String memberId(String stage, String instanceId) {
        return groupId(stage) + "-" + instanceId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Names n && n.prefix.equals(prefix);
    }

    @Override
    public int hashCode() {
        return prefix.hashCode();
    }

    @Override
    public String toString() {
        return prefix.isEmpty() ? "no topic prefix" : "topic prefix '" + prefix + "'";
    }

    /** Refuses a prefix {@link #of} would refuse, naming the setting and what to change. */
    private static final class PrefixValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String problem = value == null ? null : problem(value.toString());
            if (problem != null) {
                throw new ConfigException(name + ": " + problem);
            }
        }

        @Override
        public String toString() {
            return "[a-zA-Z0-9._-], at most " + MAX_PREFIX_LENGTH + " characters";
        }
    }
}
