package dev.sluice.stages.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1",
        "192.167.255.255", "192.169.0.1", "169.253.255.255", "223.255.255.255", "2606:4700::1111", "2001:db8::1",
        "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"})
    void shouldLeavePublicAddressesAlone(String address) throws Exception {
        assertThat(AddressRules.check(InetAddress.getByName(address))).isEmpty();
    }

    @Test
    void shouldJudgeAnIpv6AddressByTheIpv4AddressItCarries() throws Exception {
        assertThat(AddressRules.check(InetAddress.getByName("64:ff9b::7f00:1")).orElseThrow().toString())
                .isEqualTo("64:ff9b:0:0:0:0:7f00:1 is an IPv6 form of a loopback address (rule: loopback-ipv4)");
    }

    @Test
    void shouldMatchCidrBlocksOnTheirPrefixOnly() throws Exception {
        Cidr block = Cidr.parse("172.16.0.0/12");
        assertThat(block.contains(InetAddress.getByName("172.31.0.1"))).isTrue();
        assertThat(block.contains(InetAddress.getByName("172.32.0.1"))).isFalse();
        assertThat(block.contains(InetAddress.getByName("::ffff:ac10:1"))).as("mapped form is IPv4 in Java").isTrue();
        assertThat(Cidr.parse("fe80::/10").contains(InetAddress.getByName("febf::1"))).isTrue();
        assertThat(Cidr.parse("fe80::/10").contains(InetAddress.getByName("fec0::1"))).isFalse();
    }

    @Test
    void shouldRefuseAnAllowListEntryThatIsNeitherAHostNorABlockAtStart() {
        for (String bad : new String[] {"10.0.0.0/33", "999.1.1.1/8", "not a host", "10.0.0.0/x"}) {
            assertThatThrownBy(() -> new DocumentsConfig(Map.of(DocumentsConfig.ALLOWED_HOSTS_CONFIG, bad), Path.of("d")))
                    .isInstanceOf(ConfigException.class).hasMessageContaining(DocumentsConfig.ALLOWED_HOSTS_CONFIG);
        }
    }

    @Test
    void shouldNotProbeContentTypesByDefault() {
        assertThat(new DocumentsConfig(Map.of(), Path.of("d")).getBoolean(DocumentsConfig.PROBE_CONTENT_TYPE_CONFIG)).isFalse();
    }
}
