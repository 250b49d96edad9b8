package dev.sluice.topology;

import dev.sluice.stage.Names;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Prints every committed dead-letter record of every stage ({@code *.dlq} topics) as JSON lines:
 * topic, partition, offset, timestamp, key, value (UTF-8 text when it is, else {@code value_base64})
 * and all headers, the {@code sluice.errors.*} reason among them.
 */
public final class DeadLetterExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterExport() {
    }

    /** Writes the records of this deployment's ({@code names}) dead-letter topics; returns how many. */
    public static long export(Map<String, Object> clientProps, Names names, PrintStream out) throws Exception {
        TreeSet<String> topics = new TreeSet<>();
        List<String> ours = names.topics(StageCatalog.topics().stream().filter(Names::isDlq).toList());
        try (Admin admin = Admin.create(new HashMap<>(clientProps))) {
            admin.listTopics().names().get().stream().filter(ours::contains).forEach(topics::add);
        }
        Map<String, Object> p = new HashMap<>(clientProps);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (String topic : topics) {
                n += exportTopic(c, topic, out);
            }
        }
        out.flush();
        return n;
    }

    private static long exportTopic(KafkaConsumer<byte[], byte[]> c, String topic, PrintStream out) {
        List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        Map<TopicPartition, Long> end = c.endOffsets(parts);
        long n = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                out.println(json(r));
                n++;
            }
        }
        return n;
    }

    static String json(ConsumerRecord<byte[], byte[]> r) {
        ObjectNode o = JSON.createObjectNode().put("topic", r.topic()).put("partition", r.partition())
                .put("offset", r.offset()).put("timestamp", r.timestamp());
        bytes(o, "key", r.key());
        bytes(o, "value", r.value());
        ObjectNode headers = o.putObject("headers");
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return o.toString();
    }

    private static void bytes(ObjectNode o, String field, byte[] b) {
        if (b == null) {
            o.putNull(field);
            return;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b)).toString();
            if (text.chars().noneMatch(ch -> ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r')) {
                o.put(field, text);
                return;
            }
        } catch (CharacterCodingException e) {
            // binary: below
        }
        o.put(field + "_base64", Base64.getEncoder().encodeToString(b));
    }
}
