package dev.sluice.stages.summarise;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SummariseConfigTest {

    @ParameterizedTest
    @ValueSource(strings = {"http://llm.example.test:8000", "http://10.0.0.5:11434/v1", "http://127.0.0.1.example.test",
        "HTTP://models.example.test"})
    void shouldRefuseAnHttpEndpointOnARemoteHostAtStartNamingTheSettingToChange(String url) {
        assertThatThrownBy(() -> SummaryFixtures.config(url)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("llm.allow.insecure.http=true").hasMessageContaining("use https");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://llm.example.test", "http://127.0.0.1:18090", "http://127.1.2.3:80", "http://localhost:11434",
        "http://[::1]:8080/v1"})
    void shouldAcceptHttpsAnywhereAndHttpOnLoopback(String url) {
        assertThatCode(() -> SummaryFixtures.config(url)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://llm.example.test:8000", "http://10.0.0.5:11434"})
    void shouldAcceptRemoteHttpWhenExplicitlyAllowed(String url) {
        assertThatCode(() -> SummaryFixtures.config(url, SummariseConfig.ALLOW_INSECURE_HTTP_CONFIG, true)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://llm.example.test", "llm.example.test:8000", "file:///tmp/x"})
    void shouldRefuseAnEndpointThatIsNotAnHttpUrl(String url) {
        assertThatThrownBy(() -> SummaryFixtures.config(url)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("llm.base.url");
    }
}
