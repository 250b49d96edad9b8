package dev.sluice.stages.summarise;

import static dev.sluice.stages.summarise.SummaryFixtures.PRIMARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.stage.RetriableStageException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LLM client's answer-size cap against a real server on 127.0.0.1 answering a 5 MiB completion. */
class OpenAiChatClientTest {
    private static final byte[] HUGE = ("{\"choices\":[{\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\""
            + "A summary. ".repeat(500_000) + "\"}}]}").getBytes(StandardCharsets.UTF_8);

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", ex -> {
            requests.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(HUGE);
            } catch (IOException clientStoppedReading) {
                ex.close();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void shouldTreatAnAnswerOverTheDefaultCapAsMalformed() {
        assertThat(HUGE.length).isGreaterThan(5 << 20);
        OpenAiChatClient client = new OpenAiChatClient(baseUrl(), null, Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThatThrownBy(() -> client.complete(PRIMARY, "s", "Hello.", 100, 0))
                .isInstanceOf(RetriableStageException.class).hasMessageContaining("malformed answer")
                .hasMessageContaining("over the limit of 4194304 (llm.max.response.bytes)");
    }

    @Test
    void shouldFallBackToTheOfflineSummariserWhenEveryAnswerIsOversized() throws Exception {
        FallbackChain chain = Summarizers.fromConfig(SummaryFixtures.config(baseUrl(),
                SummariseConfig.MAX_RESPONSE_BYTES_CONFIG, 4_096L, SummariseConfig.RETRY_ATTEMPTS_CONFIG, 2));
        Draft d = chain.summarise(Prompt.DOCUMENT, "Sluice moves records exactly once. It uses Kafka. It stores rows.");
        assertThat(d.model()).isEqualTo(OfflineSummarizer.MODEL);
        assertThat(requests).as("retried like a malformed answer, then the chain moved on").hasValue(2);
    }
}
