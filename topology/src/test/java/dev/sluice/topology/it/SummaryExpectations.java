package dev.sluice.topology.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.summaries.DocumentText;
import dev.sluice.schemas.summaries.Summary;
import dev.sluice.stages.summarise.SummaryTopics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test data and expectations of the summaries path: documents built from fixture comments, threads by parent walk. */
public final class SummaryExpectations {

    private SummaryExpectations() {
    }

    /** {@code count} documents {@code prefix-0..}, each the plain text of 12 fixture comments, starting at comment {@code skip}. */
    public static List<DocumentText> documents(String prefix, int count, int skip) {
        List<String> texts = HnExpectations.items().values().stream()
                .filter(n -> "comment".equals(n.path("type").asText()) && n.hasNonNull("text"))
                .map(n -> n.get("text").asText().replaceAll("<[^>]+>", " ").replace("&#x27;", "'")).skip(skip).toList();
        List<DocumentText> docs = new ArrayList<>();
        for (int d = 0; d < count; d++) {
            String text = String.join("\n", texts.subList(d * 12, d * 12 + 12));
            docs.add(new DocumentText(prefix + "-" + d, "Document " + prefix + " " + d, text));
        }
        return docs;
    }

    public static void produce(ItEnv env, List<DocumentText> docs) {
        try (KafkaProducer<String, DocumentText> p = new KafkaProducer<>(new HashMap<>(env.clientProps()),
                new StringSerializer(), new AvroSerde<>(DocumentText.class).serializer())) {
            docs.forEach(d -> Sends.confirmed(p, new ProducerRecord<>(SummaryTopics.DOCUMENT_TEXT, d.getDocId(), d)));
        }
    }

    /** Live comments with text of each story, found by walking {@code parent} through the fixture. */
    public static Map<Long, List<Long>> threads() {
        Map<Long, List<Long>> out = new TreeMap<>();
        for (JsonNode n : HnExpectations.items().values()) {
            if (!"comment".equals(n.path("type").asText()) || n.path("deleted").asBoolean() || n.path("dead").asBoolean()
                    || !n.hasNonNull("text")) {
                continue;
            }
            JsonNode cur = n;
            while (cur != null && "comment".equals(cur.path("type").asText())) {
                cur = HnExpectations.items().get(cur.path("parent").asLong());
            }
            if (cur != null) {
                out.computeIfAbsent(cur.get("id").asLong(), k -> new ArrayList<>()).add(n.get("id").asLong());
            }
        }
        return out;
    }

    /** Versions a thread of {@code comments} comments gets with threshold {@code min} and step {@code every}. */
    public static int versions(int comments, int min, int every) {
        return comments < min ? 0 : 1 + (comments - min) / every;
    }

    /** Every summary record on the summaries topic. */
    public static List<Summary> summaryRecords(ItEnv env) {
        return TopicReader.readAll(env.clientProps(), SummaryTopics.SUMMARIES, new StringDeserializer(),
                new AvroSerde<>(Summary.class).deserializer()).stream().map(r -> r.value()).toList();
    }
}
