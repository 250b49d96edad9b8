package dev.sluice.stages.summarise;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OfflineSummarizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OfflineSummarizer offline = new OfflineSummarizer(1_000);

    @Test
    void shouldSummariseADocumentWithItsOwnSentencesWithinTheLimitDeterministically() {
        String doc = SummaryFixtures.document(60);
        Draft d = offline.summarise(Prompt.DOCUMENT, doc);
        assertThat(d.model()).isEqualTo(OfflineSummarizer.MODEL);
        assertThat(d.text()).isNotBlank().hasSizeLessThanOrEqualTo(1_000);
        assertThat(Text.sentences(d.text())).allSatisfy(s -> assertThat(doc).contains(s));
        assertThat(offline.summarise(Prompt.DOCUMENT, doc)).isEqualTo(d);
        assertThat(d.tokensIn()).isZero();
    }

    @Test
    void shouldPassTheOutputValidatorForDocumentsAndThreads() throws Exception {
        OutputValidator v = new OutputValidator(1_000);
        String doc = SummaryFixtures.document(30);
        v.validate(Prompt.DOCUMENT, doc, java.util.Set.of(), offline.summarise(Prompt.DOCUMENT, doc).text());
        Map<Long, String> comments = Map.of(1L, "I wish it had dark mode.", 2L, "Too slow on my phone.");
        String thread = SummaryFixtures.thread("t", comments);
        v.validate(Prompt.THREAD_WANTS, thread, comments.keySet(),
                offline.summarise(Prompt.THREAD_WANTS, thread, comments.keySet()).text());
    }

    @Test
    void shouldReportNeedsComplaintsAndWishesWithTheCommentsThatSupportThem() throws Exception {
        Map<Long, String> comments = new LinkedHashMap<>();
        comments.put(11L, "Nice work. I wish there was an offline version.");
        comments.put(12L, "The checkout is too expensive for students.");
        comments.put(13L, "We need better documentation for the exporter.");
        comments.put(14L, "Agreed, the documentation is what we need most.");
        comments.put(15L, "Looks great.");
        JsonNode wants = JSON.readTree(offline.summarise(Prompt.THREAD_WANTS, SummaryFixtures.thread("t", comments), comments.keySet()).text()).get("wants");
        Map<String, String> kindByText = new LinkedHashMap<>();
        wants.forEach(w -> kindByText.put(w.get("text").asText(), w.get("kind").asText()));
        assertThat(kindByText).containsEntry("Nice work. I wish there was an offline version.".substring(11), "wish")
                .containsEntry("The checkout is too expensive for students.", "complaint");
        JsonNode docs = wants.get(0);
        assertThat(docs.get("kind").asText()).isEqualTo("need");
        assertThat(docs.get("comment_ids")).extracting(JsonNode::asLong).containsExactly(13L, 14L);
        assertThat(wants.toString()).doesNotContain("15");
    }
}
