package dev.sluice.testkit.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fake speaks the chat-completions protocol and injects each fault as a real endpoint shows it. */
class FakeLlmServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = "{\"model\":\"m\",\"max_tokens\":100,\"messages\":[{\"role\":\"system\",\"content\":\"s\"},"
            + "{\"role\":\"user\",\"content\":\"First one. Second one. Third one.\"}]}";
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(FakeLlmServer s, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswerACompletionWithChoicesUsageAndTheFirstTwoSentences() throws Exception {
        try (FakeLlmServer s = FakeLlmServer.builder().start()) {
            JsonNode n = JSON.readTree(post(s, BODY).body());
            assertThat(n.at("/choices/0/message/content").asText()).isEqualTo("First one. Second one.");
            assertThat(n.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
            assertThat(n.at("/usage/completion_tokens").asInt()).isPositive();
            assertThat(n.path("object").asText()).isEqualTo("chat.completion");
            assertThat(s.requests("m")).isEqualTo(1);
            assertThat(s.answered("m")).isEqualTo(1);
        }
    }

    @Test
    void shouldInjectEachScriptedFaultInOrder() throws Exception {
        try (FakeLlmServer s = FakeLlmServer.builder().hangMs(10).start()) {
            s.faults().script(LlmFault.RATE_LIMIT, LlmFault.SERVER_ERROR, LlmFault.HANG, LlmFault.MALFORMED,
                    LlmFault.EMPTY_CHOICES, LlmFault.TRUNCATED);
            HttpResponse<String> limited = post(s, BODY);
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(post(s, BODY).statusCode()).isEqualTo(500);
            assertThat(post(s, BODY).statusCode()).isEqualTo(504);
            assertThat(post(s, BODY).body()).doesNotEndWith("}");
            assertThat(JSON.readTree(post(s, BODY).body()).path("choices")).isEmpty();
            assertThat(JSON.readTree(post(s, BODY).body()).at("/choices/0/finish_reason").asText()).isEqualTo("length");
            assertThat(s.answered("m")).isZero();
            assertThat(s.faults().injected()).isEqualTo(6);
        }
    }

    @Test
    void shouldFailEveryCompletionOfAModelMarkedDown() throws Exception {
        try (FakeLlmServer s = FakeLlmServer.builder().down(Set.of("m")).start()) {
            assertThat(post(s, BODY).statusCode()).isEqualTo(500);
            assertThat(post(s, BODY.replace("\"m\"", "\"other\"")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shouldRefuseABadRequestAndAMissingKeyLikeTheRealApi() throws Exception {
        try (FakeLlmServer s = FakeLlmServer.builder().apiKey("k").start()) {
            assertThat(post(s, BODY).statusCode()).isEqualTo(401);
        }
        try (FakeLlmServer s = FakeLlmServer.builder().start()) {
            assertThat(post(s, "{\"messages\":[]}").statusCode()).isEqualTo(400);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/v1/models")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("\"object\":\"list\"");
        }
    }

    @Test
    void shouldDrawTheSameFaultsForTheSameSeedAndNeverMoreThanTheCapInARow() {
        LlmFaultPlan a = new LlmFaultPlan(0.5, 9, 2, java.util.EnumSet.allOf(LlmFault.class), Set.of());
        LlmFaultPlan b = new LlmFaultPlan(0.5, 9, 2, java.util.EnumSet.allOf(LlmFault.class), Set.of());
        int streak = 0;
        for (int i = 0; i < 50; i++) {
            LlmFault fa = a.decide("m", "p");
            assertThat(fa).isEqualTo(b.decide("m", "p"));
            streak = fa == null ? 0 : streak + 1;
            assertThat(streak).isLessThanOrEqualTo(2);
        }
        assertThat(a.injected()).isPositive();
    }
}
