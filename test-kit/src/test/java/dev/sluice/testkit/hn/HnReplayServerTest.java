package dev.sluice.testkit.hn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HnReplayServerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private static final long FIRST = 25576000L;
    private static final long LAST = 25578999L;
    private static final long STORY = 25576462L;
    private static Map<Long, String> lines;

    @BeforeAll
    static void readFixture() throws IOException {
        lines = new HashMap<>();
        for (String line : Files.readAllLines(SharedFixtures.hnItems())) {
            lines.put(MAPPER.readTree(line).get("id").asLong(), line);
        }
    }

    @Test
    void servesAnItemVerbatimAsUtf8Json() throws Exception {
        try (HnReplayServer server = start(HnReplayServer.builder())) {
            for (long id : new long[] {FIRST, STORY, LAST}) {
                HttpResponse<String> response = get(server, item(id));
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo(lines.get(id));
                assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
            }
            assertThat(server.baseUrl()).isEqualTo("http://127.0.0.1:" + server.port());
            assertThat(server.requestCount()).isEqualTo(3);
        }
    }

    @Test
    void servesItemsFromSeveralFiles() throws Exception {
        HnReplayBuilder builder = HnReplayServer.builder().items(SharedFixtures.hnApiDocExamples());
        try (HnReplayServer server = start(builder)) {
            assertThat(MAPPER.readTree(get(server, item(8863)).body()).get("by").asText()).isEqualTo("dhouston");
            assertThat(get(server, item(FIRST)).body()).isEqualTo(lines.get(FIRST));
            assertThat(server.maxItem()).isEqualTo(LAST);
        }
    }

    @Test
    void servesMaxItemAndNullAboveItAfterSetMaxItem() throws Exception {
        try (HnReplayServer server = start(HnReplayServer.builder())) {
            HttpResponse<String> max = get(server, "/v0/maxitem.json");
            assertThat(max.body()).isEqualTo("25578999");
            assertThat(max.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");

            server.setMaxItem(FIRST + 10);
            assertThat(get(server, "/v0/maxitem.json").body()).isEqualTo(String.valueOf(FIRST + 10));
            assertThat(get(server, item(FIRST + 10)).body()).isEqualTo(lines.get(FIRST + 10));
            HttpResponse<String> hidden = get(server, item(FIRST + 11));
            assertThat(hidden.statusCode()).isEqualTo(200);
            assertThat(hidden.body()).isEqualTo("null");
        }
    }

    @Test
    void answersNullForUnknownIds() throws Exception {
        try (HnReplayServer server = start(HnReplayServer.builder())) {
            assertThat(get(server, item(1)).body()).isEqualTo("null");
            assertThat(get(server, item(LAST + 1)).body()).isEqualTo("null");
        }
    }

    @Test
    void answersPermissionDenied404OnOtherPathsAnd405OnOtherMethods() throws Exception {
        try (HnReplayServer server = start(HnReplayServer.builder())) {
            for (String path : List.of("/", "/v0/topstories.json", "/v0/item/abc.json", "/v0/item/1")) {
                HttpResponse<String> response = get(server, path);
                assertThat(response.statusCode()).as(path).isEqualTo(404);
                assertThat(response.body()).as(path).isEqualTo("{\"error\":\"Permission denied\"}");
            }
            HttpRequest post = HttpRequest.newBuilder(URI.create(server.baseUrl() + item(FIRST)))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            assertThat(CLIENT.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
            assertThat(server.requestCount()).isZero();
        }
    }

    @Test
    void nullMalformedAndErrorIdsBehaveTheSameEveryTime() throws Exception {
        HnReplayBuilder builder = HnReplayServer.builder().nullIds(Set.of(FIRST))
                .malformedIds(Set.of(STORY)).errorIds(Map.of(LAST, 500, LAST - 1, 404));
        try (HnReplayServer server = start(builder)) {
            for (int attempt = 0; attempt < 3; attempt++) {
                assertThat(get(server, item(FIRST)).body()).isEqualTo("null");
                HttpResponse<String> malformed = get(server, item(STORY));
                assertThat(malformed.statusCode()).isEqualTo(200);
                assertThat(lines.get(STORY)).startsWith(malformed.body()).isNotEqualTo(malformed.body());
                assertThatThrownBy(() -> MAPPER.readTree(malformed.body())).isInstanceOf(JsonProcessingException.class);
                assertThat(get(server, item(LAST)).statusCode()).isEqualTo(500);
                assertThat(get(server, item(LAST - 1)).statusCode()).isEqualTo(404);
            }
            assertThat(server.requestCount()).isEqualTo(12);
            assertThat(server.faultCount()).isZero();
        }
    }

    @Test
    void injectsRoughlyTheFailRateAndEveryIdEventuallySucceeds() throws Exception {
        HnReplayBuilder builder = HnReplayServer.builder().failRate(0.3).seed(42).hangMs(600);
        Map<Integer, Integer> failures = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try (HnReplayServer server = start(builder)) {
            List<Callable<Integer>> tasks = new ArrayList<>();
            LongStream.range(FIRST, FIRST + 400).forEach(id -> tasks.add(() -> fetchWithRetry(server, id, failures)));
            for (Future<Integer> attempts : clients.invokeAll(tasks)) {
                assertThat(attempts.get()).isPositive();   // rethrows the task's assertion failures
            }
            double rate = (double) server.faultCount() / server.requestCount();
            assertThat(rate).isBetween(0.2, 0.4);
            assertThat(failures.keySet()).contains(500, 503, 429, -1);   // -1: the client timed out on a hang
            assertThat(failures.values().stream().mapToInt(Integer::intValue).sum())
                    .isGreaterThanOrEqualTo((int) server.faultCount());
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void sameSeedChoosesTheSameFaults() {
        FaultPlan one = new FaultPlan(0.3, 7, 3, Set.of(), Set.of(), Map.of());
        FaultPlan two = new FaultPlan(0.3, 7, 3, Set.of(), Set.of(), Map.of());
        FaultPlan other = new FaultPlan(0.3, 8, 3, Set.of(), Set.of(), Map.of());
        List<FaultPlan.Decision> a = new ArrayList<>();
        List<FaultPlan.Decision> b = new ArrayList<>();
        List<FaultPlan.Decision> c = new ArrayList<>();
        for (long id = 0; id < 200; id++) {
            for (int attempt = 0; attempt < 3; attempt++) {
                a.add(one.decide(id));
                b.add(two.decide(id));
                c.add(other.decide(id));
            }
        }
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(one.faultCount()).isEqualTo(two.faultCount()).isPositive();
    }

    @Test
    void evenAVeryHighFailRateLetsARetryingClientThrough() {
        FaultPlan plan = new FaultPlan(0.99, 1, 3, Set.of(), Set.of(), Map.of());
        for (long id = 0; id < 50; id++) {
            List<FaultPlan.Kind> kinds = new ArrayList<>();
            for (int attempt = 0; attempt < 4; attempt++) {
                kinds.add(plan.decide(id).kind());
            }
            assertThat(kinds).contains(FaultPlan.Kind.SERVE);
        }
        FaultPlan always = new FaultPlan(1.0, 1, 3, Set.of(), Set.of(), Map.of());
        assertThat(LongStream.range(0, 20).mapToObj(i -> always.decide(5).injected()).collect(Collectors.toSet()))
                .containsExactly(true);
    }

    @Test
    void appliesLatencyToEveryResponse() throws Exception {
        try (HnReplayServer server = start(HnReplayServer.builder().latencyMs(150))) {
            for (String path : List.of("/v0/maxitem.json", item(STORY), "/nope")) {
                long started = System.nanoTime();
                get(server, path);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as(path)
                        .isGreaterThanOrEqualTo(Duration.ofMillis(150));
            }
        }
    }

    @Test
    void serves128SlowRequestsConcurrently() throws Exception {
        try (HnReplayServer server = start(HnReplayServer.builder().latencyMs(1000))) {
            long started = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> responses = LongStream.range(FIRST, FIRST + 128)
                    .mapToObj(id -> CLIENT.sendAsync(request(server, item(id), Duration.ofSeconds(20)),
                            HttpResponse.BodyHandlers.ofString()))
                    .collect(Collectors.toList());
            for (CompletableFuture<HttpResponse<String>> response : responses) {
                assertThat(response.get().statusCode()).isEqualTo(200);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
        }
    }

    @Test
    void answersSequentialRequestsWithoutDelayedAckStalls() throws Exception {
        try (HnReplayServer server = start(HnReplayServer.builder())) {
            long started = System.nanoTime();
            for (long id = FIRST; id < FIRST + 200; id++) {
                assertThat(get(server, item(id)).statusCode()).isEqualTo(200);
            }
            // ~2 ms a request with TCP_NODELAY, ~45 ms without (9 s in all)
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        }
    }

    private static int fetchWithRetry(HnReplayServer server, long id, Map<Integer, Integer> failures)
            throws Exception {
        for (int attempt = 1; attempt <= 20; attempt++) {
            try {
                HttpResponse<String> response = CLIENT.send(request(server, item(id), Duration.ofMillis(300)),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    assertThat(response.body()).isEqualTo(lines.get(id));
                    return attempt;
                }
                if (response.statusCode() == 429) {
                    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
                }
                failures.merge(response.statusCode(), 1, Integer::sum);
            } catch (HttpTimeoutException e) {
                failures.merge(-1, 1, Integer::sum);
            }
        }
        throw new AssertionError("item " + id + " never succeeded");
    }

    private static HnReplayServer start(HnReplayBuilder builder) throws IOException {
        return builder.items(SharedFixtures.hnItems()).start();
    }

    private static String item(long id) {
        return "/v0/item/" + id + ".json";
    }

    private static HttpRequest request(HnReplayServer server, String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(timeout).GET().build();
    }

    private static HttpResponse<String> get(HnReplayServer server, String path) throws Exception {
        return CLIENT.send(request(server, path, Duration.ofSeconds(10)), HttpResponse.BodyHandlers.ofString());
    }
}
