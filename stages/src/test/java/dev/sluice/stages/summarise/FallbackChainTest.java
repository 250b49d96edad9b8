package dev.sluice.stages.summarise;

import static dev.sluice.stages.summarise.SummaryFixtures.FALLBACK;
import static dev.sluice.stages.summarise.SummaryFixtures.PRIMARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.runtime.ErrorClassifier;
import dev.sluice.testkit.llm.FakeLlmServer;
import dev.sluice.testkit.llm.LlmFault;
import dev.sluice.stage.RetriableStageException;
import dev.sluice.stage.UnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FallbackChainTest {
    private static final String TEXT = "The chain works. It falls back. Last line.";
    private FakeLlmServer llm;

    @BeforeEach
    void start() throws Exception {
        llm = FakeLlmServer.builder().start();
    }

    @AfterEach
    void stop() {
        llm.close();
    }

    private FallbackChain chain(Object... extra) {
        Object[] kv = new Object[extra.length + 4];
        kv[0] = SummariseConfig.FALLBACK_MODEL_CONFIG;
        kv[1] = FALLBACK;
        kv[2] = SummariseConfig.RETRY_ATTEMPTS_CONFIG;
        kv[3] = 2;
        System.arraycopy(extra, 0, kv, 4, extra.length);
        return Summarizers.fromConfig(SummaryFixtures.config(llm.baseUrl(), kv));
    }

    @Test
    void shouldUseThePrimaryWhenItAnswers() throws Exception {
        assertThat(chain().summarise(Prompt.DOCUMENT, TEXT).model()).isEqualTo(PRIMARY);
        assertThat(llm.requests(FALLBACK)).isZero();
    }

    @Test
    void shouldTakeTheFallbackModelWhenThePrimaryStaysDownAndRecordIt() throws Exception {
        llm.faults().setDown(PRIMARY, true);
        Draft d = chain().summarise(Prompt.DOCUMENT, TEXT);
        assertThat(d.model()).isEqualTo(FALLBACK);
        assertThat(d.text()).isEqualTo("The chain works. It falls back.");
    }

    @Test
    void shouldEndWithTheOfflineSummariserWhenEveryModelIsDown() throws Exception {
        llm.faults().setDown(PRIMARY, true);
        llm.faults().setDown(FALLBACK, true);
        FallbackChain chain = chain();
        assertThat(chain.name()).isEqualTo(PRIMARY + ">" + FALLBACK + ">" + OfflineSummarizer.MODEL);
        assertThat(chain.summarise(Prompt.DOCUMENT, TEXT).model()).isEqualTo(OfflineSummarizer.MODEL);
    }

    @Test
    void shouldFailRetriablyNamingEachModelWhenTheOfflineEndIsDisabled() {
        llm.faults().setDown(PRIMARY, true);
        llm.faults().setDown(FALLBACK, true);
        assertThatThrownBy(() -> chain(SummariseConfig.FALLBACK_OFFLINE_CONFIG, false).summarise(Prompt.DOCUMENT, TEXT))
                .isInstanceOf(RetriableStageException.class).hasMessageContaining(PRIMARY + ": gave up")
                .hasMessageContaining(FALLBACK + ": gave up");
    }

    @Test
    void shouldSkipAModelWhoseCircuitIsOpenWithoutCallingIt() throws Exception {
        llm.faults().setDown(PRIMARY, true);
        FallbackChain chain = chain(SummariseConfig.BREAKER_FAILURES_CONFIG, 2);
        chain.summarise(Prompt.DOCUMENT, TEXT);
        long calls = llm.requests(PRIMARY);
        assertThat(chain.summarise(Prompt.DOCUMENT, TEXT).model()).isEqualTo(FALLBACK);
        assertThat(llm.requests(PRIMARY)).as("open circuit: primary not called").isEqualTo(calls);
    }

    @Test
    void shouldUseOnlyTheOfflineSummariserWithoutAnEndpoint() throws Exception {
        FallbackChain offline = Summarizers.fromConfig(new SummariseConfig(java.util.Map.of()));
        assertThat(offline.name()).isEqualTo(OfflineSummarizer.MODEL);
    }

    @Test
    void shouldFailAsAnOutageWhenEveryModelIsDownSoTheRuntimeStallsInsteadOfDeadLettering() {
        llm.faults().setDown(PRIMARY, true);
        llm.faults().setDown(FALLBACK, true);
        assertThatThrownBy(() -> chain(SummariseConfig.FALLBACK_OFFLINE_CONFIG, false).summarise(Prompt.DOCUMENT, TEXT))
                .isInstanceOf(UnavailableException.class)
                .satisfies(e -> assertThat(ErrorClassifier.isOutage(e)).as("an outage, never dead-lettered").isTrue());
    }

    @Test
    void shouldStayAnOutageWhileTheModelsCircuitIsOpen() {
        llm.faults().setDown(PRIMARY, true);
        FallbackChain chain = chain(SummariseConfig.FALLBACK_MODEL_CONFIG, "", SummariseConfig.FALLBACK_OFFLINE_CONFIG, false,
                SummariseConfig.BREAKER_FAILURES_CONFIG, 2, SummariseConfig.BREAKER_OPEN_MS_CONFIG, 60_000L);
        assertThatThrownBy(() -> chain.summarise(Prompt.DOCUMENT, TEXT)).isInstanceOf(UnavailableException.class);
        long calls = llm.requests(PRIMARY);
        assertThatThrownBy(() -> chain.summarise(Prompt.DOCUMENT, TEXT)).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("circuit open").satisfies(e -> assertThat(ErrorClassifier.isOutage(e)).isTrue());
        assertThat(llm.requests(PRIMARY)).as("open circuit: primary not called").isEqualTo(calls);
    }

    @Test
    void shouldNotCallMalformedAnswersAnOutageSoTheyCanBeDeadLetteredWhenTheyRepeat() {
        llm.faults().script(LlmFault.MALFORMED, LlmFault.MALFORMED, LlmFault.MALFORMED, LlmFault.MALFORMED);
        assertThatThrownBy(() -> chain(SummariseConfig.FALLBACK_OFFLINE_CONFIG, false).summarise(Prompt.DOCUMENT, TEXT))
                .isInstanceOf(RetriableStageException.class).isNotInstanceOf(UnavailableException.class)
                .satisfies(e -> assertThat(ErrorClassifier.isOutage(e)).isFalse());
    }
}
