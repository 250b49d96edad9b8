package dev.sluice.stages.summarise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    @Test
    void shouldSplitAtLinesIntoChunksThatFitLosingNothing() {
        String doc = SummaryFixtures.document(200);
        List<String> chunks = Chunker.split(doc, 500);
        assertThat(chunks).hasSizeGreaterThan(3).allSatisfy(c -> assertThat(Text.tokens(c)).isLessThanOrEqualTo(500));
        assertThat(String.join("", chunks).replaceAll("\\s", "")).isEqualTo(doc.replaceAll("\\s", ""));
    }

    @Test
    void shouldBreakALineLongerThanAChunk() {
        String line = "word ".repeat(2_000);
        assertThat(Chunker.split(line, 100)).allSatisfy(c -> assertThat(Text.tokens(c)).isLessThanOrEqualTo(100));
    }

    @Test
    void shouldKeepAShortTextInOneChunk() {
        assertThat(Chunker.split("One.\nTwo.", 100)).containsExactly("One.\nTwo.");
    }
}
