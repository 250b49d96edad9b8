package dev.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stage.Names;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The loop consumer's settings. */
class KafkaClientsTest {

    private static RunnerSettings settings(Map<String, Object> clientProps, Duration maxPollInterval) {
        return settings(clientProps, maxPollInterval, Names.DEFAULT);
    }

    private static RunnerSettings settings(Map<String, Object> clientProps, Duration maxPollInterval, Names names) {
        return new RunnerSettings(clientProps, "i1", 500, RetryPolicy.DEFAULT, 64, maxPollInterval,
                new RuntimeConfig(Map.of()).stallPolicy(), names);
    }

    @Test
    void shouldUseTodaysGroupAndIdsWhenThereIsNoPrefix() {
        Map<String, Object> c = KafkaClients.consumerProps("fetch", settings(Map.of(), Duration.ofSeconds(120)));

        assertThat(c).containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "sluice-fetch")
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "sluice-fetch-i1");
    }

    @Test
    void shouldPrefixGroupTransactionalAndClientIdsWhenPrefixed() {
        RunnerSettings s = settings(Map.of(), Duration.ofSeconds(120), Names.of("it1."));
        Map<String, Object> c = KafkaClients.consumerProps("fetch", s);
        Map<String, Object> p = KafkaClients.producerProps(new dev.sluice.stages.hn.ItemFetchStage().definition(), s);

        assertThat(c).containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "it1.sluice-fetch")
                .containsEntry(ConsumerConfig.CLIENT_ID_CONFIG, "it1.sluice-fetch-i1")
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "it1.sluice-fetch-i1");
        assertThat(p).containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it1.sluice-fetch-i1")
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "it1.sluice-fetch-i1-producer");
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
