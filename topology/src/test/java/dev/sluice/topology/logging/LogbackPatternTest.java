package dev.sluice.topology.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shipped {@code logback.xml} (not the test one), loaded into its own context and rendering real events. */
class LogbackPatternTest {
    private LoggerContext context;
    private Encoder<ILoggingEvent> encoder;

    @BeforeEach
    void configure() throws Exception {
        URL shipped = getClass().getResource("/logback.xml");
        assertThat(shipped).as("topology/src/main/resources/logback.xml on the classpath").isNotNull();
        context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(shipped);
        ConsoleAppender<ILoggingEvent> err = (ConsoleAppender<ILoggingEvent>) context.getLogger("ROOT").getAppender("ERR");
        encoder = err.getEncoder();
    }

    private String render(Map<String, String> mdc) {
        LoggingEvent e = new LoggingEvent("x", context.getLogger("dev.sluice.runtime.DeadLetters"), Level.WARN,
                "dead-lettering {}", null, new Object[] {"sluice.hn.items-0@8"});
        e.setMDCPropertyMap(mdc);
        return new String(encoder.encode(e), StandardCharsets.UTF_8);
    }

    @Test
    void shouldPrintStageAndKeyInBracketsWhenBothAreInTheMdc() {
        assertThat(render(Map.of("stage", "fetch", "key", "123")))
                .contains(" d.s.r.DeadLetters [fetch key=123] - dead-lettering sluice.hn.items-0@8");
    }

    @Test
    void shouldPrintTheItemIdWhenAStageKnowsIt() {
        assertThat(render(Map.of("stage", "threads", "key", "25576113", "item", "25576120")))
                .contains(" [threads key=25576113 item=25576120] - ");
    }

    @Test
    void shouldDropAnEmptyKeyButKeepTheStage() {
        assertThat(render(Map.of("stage", "fetch"))).contains(" d.s.r.DeadLetters [fetch] - dead-lettering");
    }

    @Test
    void shouldPrintNoBracketsOutsideARecord() {
        String line = render(Map.of());
        assertThat(line).contains(" d.s.r.DeadLetters - dead-lettering sluice.hn.items-0@8").doesNotContain("key=")
                .doesNotContain("[]");
    }

    @Test
    void shouldKeepKafkaAtWarnAndItsRoutineNoiseAtError() {
        assertThat(context.getLogger("org.apache.kafka.clients.consumer.internals.ConsumerCoordinator").getEffectiveLevel())
                .isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.apache.kafka.streams.KafkaStreams").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.apache.kafka.clients.NetworkClient").getEffectiveLevel()).isEqualTo(Level.ERROR);
        assertThat(context.getLogger("org.apache.kafka.clients.producer.internals.Sender").getEffectiveLevel())
                .isEqualTo(Level.ERROR);
        assertThat(context.getLogger("org.apache.kafka.streams.StreamsConfig").getEffectiveLevel()).isEqualTo(Level.ERROR);
        assertThat(context.getLogger("dev.sluice.topology.Pipeline").getEffectiveLevel()).isEqualTo(Level.INFO);
    }
}
