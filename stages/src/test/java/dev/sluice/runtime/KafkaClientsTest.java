package dev.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/** The loop consumer's settings. */
class KafkaClientsTest {

    private static RunnerSettings settings(Map<String, Object> clientProps, Duration maxPollInterval) {
        return new RunnerSettings(clientProps, "i1", 500, RetryPolicy.DEFAULT, 64, maxPollInterval,
                new RuntimeConfig(Map.of()).stallPolicy());
    }

    @Test
    void shouldKeepTheCoordinatorConnectionOpenAsLongAsTheLongestBatch() {
        Map<String, Object> p = KafkaClients.consumerProps("fetch", settings(Map.of(), Duration.ofMillis(780_000)));

        assertThat(p.get(ConsumerConfig.CONNECTIONS_MAX_IDLE_MS_CONFIG)).isEqualTo(780_000L);
        assertThat(p.get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG)).isEqualTo(780_000);
    }

    @Test
    void shouldKeepKafkasDefaultIdleTimeForShortBatches() {
        Map<String, Object> p = KafkaClients.consumerProps("fetch", settings(Map.of(), Duration.ofSeconds(120)));

        assertThat(p.get(ConsumerConfig.CONNECTIONS_MAX_IDLE_MS_CONFIG)).isEqualTo(540_000L);
    }

    @Test
    void shouldKeepAnIdleTimeTheOperatorSet() {
        Map<String, Object> p = KafkaClients.consumerProps("fetch",
                settings(Map.of(ConsumerConfig.CONNECTIONS_MAX_IDLE_MS_CONFIG, "100000"), Duration.ofMillis(780_000)));

        assertThat(p.get(ConsumerConfig.CONNECTIONS_MAX_IDLE_MS_CONFIG)).isEqualTo("100000");
    }
}
