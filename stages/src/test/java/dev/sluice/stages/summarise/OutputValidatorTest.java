package dev.sluice.stages.summarise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutputValidatorTest {
    private final OutputValidator validator = new OutputValidator(100);
    private final Map<Long, String> comments = Map.of(7L, "I need this.", 8L, "Me too.");
    private final String thread = SummaryFixtures.thread("t", comments);
    private final Set<Long> ids = comments.keySet();

    @Test
    void shouldRejectAnEmptyAnswer() {
        assertThatThrownBy(() -> validator.validate(Prompt.DOCUMENT, "x", Set.of(), "  ")).hasMessageContaining("empty answer");
    }

    @Test
    void shouldRejectAnOverLongAnswer() {
        assertThatThrownBy(() -> validator.validate(Prompt.DOCUMENT, "x", Set.of(), "a".repeat(101))).hasMessageContaining("over-long");
    }

    @Test
    void shouldRejectJsonWhereProseWasAskedFor() {
        assertThatThrownBy(() -> validator.validate(Prompt.DOCUMENT, "x", Set.of(), "{\"summary\": \"x\"}")).hasMessageContaining("off-format");
    }

    @Test
    void shouldRejectWantsThatAreNotJsonOrCiteCommentsNotInTheThread() {
        assertThatThrownBy(() -> validator.validate(Prompt.THREAD_WANTS, thread, ids, "People want things."))
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> validator.validate(Prompt.THREAD_WANTS, thread, ids,
                "{\"wants\":[{\"kind\":\"need\",\"text\":\"x\",\"comment_ids\":[9]}]}")).hasMessageContaining("comment id 9");
        assertThatThrownBy(() -> validator.validate(Prompt.THREAD_WANTS, thread, ids,
                "{\"wants\":[{\"kind\":\"rant\",\"text\":\"x\",\"comment_ids\":[7]}]}")).hasMessageContaining("kind");
    }

    @Test
    void shouldAcceptValidWantsEvenInACodeFence() throws Exception {
        String ok = validator.validate(Prompt.THREAD_WANTS, thread, ids,
                "```json\n{\"wants\":[{\"kind\":\"need\",\"text\":\"this\",\"comment_ids\":[7,8]}]}\n```");
        assertThat(ok).isEqualTo("{\"wants\":[{\"kind\":\"need\",\"text\":\"this\",\"comment_ids\":[7,8]}]}");
    }
}
