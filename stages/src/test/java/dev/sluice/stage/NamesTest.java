package dev.sluice.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/** Physical names of a deployment, with and without a topic prefix. */
class NamesTest {
    private static final Names IT1 = Names.of("it1.");

    @Test
    void shouldKeepTodaysNamesWhenThePrefixIsEmpty() {
        Names n = Names.of("");

        assertThat(n).isSameAs(Names.DEFAULT);
        assertThat(n.topic("sluice.hn.items")).isEqualTo("sluice.hn.items");
        assertThat(n.dlq("sluice.hn.items")).isEqualTo("sluice.hn.items.dlq");
        assertThat(n.groupId("fetch")).isEqualTo("sluice-fetch");
        assertThat(n.transactionalId("fetch", "pod-0")).isEqualTo("sluice-fetch-pod-0");
        assertThat(n.memberId("fetch", "pod-0")).isEqualTo("sluice-fetch-pod-0");
    }

    @Test
    void shouldPrependThePrefixToEveryNameWhenPrefixed() {
        assertThat(IT1.topic("sluice.hn.items")).isEqualTo("it1.sluice.hn.items");
        assertThat(IT1.topics(List.of("a", "b"))).containsExactly("it1.a", "it1.b");
        assertThat(IT1.dlq("sluice.hn.items")).isEqualTo("it1.sluice.hn.items.dlq");
        assertThat(IT1.groupId("fetch")).isEqualTo("it1.sluice-fetch");
        assertThat(IT1.transactionalId("fetch", "pod-0")).isEqualTo("it1.sluice-fetch-pod-0");
        assertThat(IT1.memberId("fetch", "pod-0")).isEqualTo("it1.sluice-fetch-pod-0");
        assertThat(IT1.clientId("sluice-document-producer")).isEqualTo("it1.sluice-document-producer");
    }

    @Test
    void shouldMapPhysicalNamesBackToLogicalOnesWhenTheyAreOurs() {
        assertThat(IT1.logical("it1.sluice.hn.items")).isEqualTo("sluice.hn.items");
        assertThat(IT1.logical("b.sluice.hn.items")).isEqualTo("b.sluice.hn.items");
        assertThat(IT1.owns("it1.sluice-fetch")).isTrue();
        assertThat(IT1.owns("sluice-fetch")).isFalse();
    }

    @Test
    void shouldAcceptKafkasTopicCharactersUpToOneHundred() {
        assertThat(Names.of("Team_A-1.").prefix()).isEqualTo("Team_A-1.");
        assertThat(Names.of("x".repeat(Names.MAX_PREFIX_LENGTH)).prefix()).hasSize(100);
    }

    @Test
    void shouldRefuseIllegalCharactersNamingThemWhenPrefixIsInvalid() {
        assertThatThrownBy(() -> Names.of("it 1/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("letters, digits, '.', '_' and '-'")
                .hasMessageContaining("' '").hasMessageContaining("'/'");
    }

    @Test
    void shouldRefuseAPrefixLongerThanOneHundredCharacters() {
        assertThatThrownBy(() -> Names.of("x".repeat(101))).hasMessageContaining("at most 100");
    }

    @Test
    void shouldFailConfigParsingNamingTheSettingWhenPrefixIsInvalid() {
        ConfigDef def = new ConfigDef().define("topic.prefix", ConfigDef.Type.STRING, "", Names.PREFIX_VALIDATOR,
                ConfigDef.Importance.MEDIUM, "doc");

        assertThatThrownBy(() -> def.parse(Map.of("topic.prefix", "a:b")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("topic.prefix: ").hasMessageContaining("':'");
        assertThat(def.parse(Map.of("topic.prefix", "a.")).get("topic.prefix")).isEqualTo("a.");
    }

    @Test
    void shouldSerializeForTheLogicalTopicWhenWritingAPrefixedOne() {
        Serializer<String> seen = (topic, data) -> topic.getBytes();

        assertThat(new String(LogicalTopicSerializer.of(IT1, seen).serialize("it1.sluice.hn.items", "v")))
                .isEqualTo("sluice.hn.items");
        assertThat(LogicalTopicSerializer.of(Names.DEFAULT, seen)).isSameAs(seen);
    }
}
