package dev.sluice.stages.hn;

import static dev.sluice.stages.hn.HnFixtures.idRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.StageContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Hacker News client's body cap against a real server on 127.0.0.1 answering oversized and endless bodies. */
class HnResponseCapTest {
    private static final byte[] TWO_MIB = ("{\"id\":1,\"text\":\"" + "x".repeat(2 << 20) + "\"}").getBytes(StandardCharsets.UTF_8);
    private static final String SMALL = "{\"id\":3,\"type\":\"story\",\"by\":\"pg\",\"time\":1160418111,\"title\":\"Y\"}";

    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v0/item/1.json", ex -> {
            ex.sendResponseHeaders(200, TWO_MIB.length);
            write(ex.getResponseBody(), TWO_MIB);
        });
        server.createContext("/v0/item/2.json", ex -> {
            ex.sendResponseHeaders(200, 0);
            write(ex.getResponseBody(), TWO_MIB);
        });
        server.createContext("/v0/item/3.json", ex -> {
            ex.sendResponseHeaders(200, SMALL.length());
            write(ex.getResponseBody(), SMALL.getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/v0/item/4.json", ex -> {
            ex.sendResponseHeaders(200, 0);
            byte[] block = new byte[64 * 1024];
            try (OutputStream out = ex.getResponseBody()) {
                while (true) {
                    out.write(block);
                }
            } catch (IOException clientWentAway) {
                ex.close();
            }
        });
        server.start();
    }

    private static void write(OutputStream out, byte[] body) {
        try (out) {
            out.write(body);
        } catch (IOException clientWentAway) {
            // the client stopped reading at its cap
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HnApiClient client(long maxBytes) {
        return new HnApiClient("http://127.0.0.1:" + server.getAddress().getPort(), Duration.ofSeconds(2), Duration.ofSeconds(5),
                new CircuitBreaker(50, Duration.ofSeconds(1)), maxBytes);
    }

    @Test
    void shouldFailPermanentlyOnABodyOverTheDefaultCapDeclaredOrStreamed() {
        HnApiClient api = client(HnConfig.MAX_RESPONSE_BYTES_DEFAULT);
        for (long id : new long[] {1, 2}) {
            assertThatThrownBy(() -> api.item(id)).isInstanceOf(PermanentStageException.class)
                    .hasMessageContaining("over the limit of 1048576 (hn.max.response.bytes)");
        }
        assertThat(new HnConfig(Map.of()).getLong(HnConfig.MAX_RESPONSE_BYTES_CONFIG)).isEqualTo(1L << 20);
    }

    @Test
    void shouldStopReadingAnEndlessBodyAtTheCap() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> client(HnConfig.MAX_RESPONSE_BYTES_DEFAULT).item(4)).isInstanceOf(PermanentStageException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void shouldReadABodyWithinTheCap() throws Exception {
        assertThat(client(1_024).item(3)).isEqualTo(SMALL);
    }

    @Test
    void shouldDeadLetterTheIdOfAnOversizedItemWithTheConfiguredCap() {
        Map<String, Object> props = new HashMap<>();
        props.put(HnConfig.BASE_URL_CONFIG, "http://127.0.0.1:" + server.getAddress().getPort());
        props.put(HnConfig.MAX_RESPONSE_BYTES_CONFIG, 4_096L);
        HnConfig config = new HnConfig(props);
        ItemFetchStage stage = new ItemFetchStage();
        stage.init(new StageContext(ItemFetchStage.NAME, "test", Map.copyOf(config.originals())));
        assertThatThrownBy(() -> stage.process(idRecord(2), (k, v) -> { }))
                .isInstanceOf(PermanentStageException.class).hasMessageContaining("over the limit of 4096 (hn.max.response.bytes)");
    }
}
