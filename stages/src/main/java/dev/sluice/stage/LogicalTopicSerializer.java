package dev.sluice.stage;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serializer that serializes for the logical topic of the physical one a client writes: a Kafka
 * client or Streams sink passes the prefixed topic, but schema subjects stay {@code <logical topic>-value},
 * so every deployment sharing a registry shares one set of subjects (and one compatibility gate) and
 * {@code schemas-check --register} needs no prefix.
 */
public final class LogicalTopicSerializer<T> implements Serializer<T> {
    private final Names names;
    private final Serializer<T> inner;

    private LogicalTopicSerializer(Names names, Serializer<T> inner) {
        this.names = names;
        this.inner = inner;
    }

    /** {@code inner} seeing logical topics under {@code names}; {@code inner} itself without a prefix. */
    public static <T> Serializer<T> of(Names names, Serializer<T> inner) {
        return names.prefix().isEmpty() ? inner : new LogicalTopicSerializer<>(names, inner);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return inner.serialize(names.logical(topic), data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        return inner.serialize(names.logical(topic), headers, data);
    }

    @Override
    public void close() {
        inner.close();
    }
}
