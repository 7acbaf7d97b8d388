package dev.ovation.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ovation.model.ConfigException;
import org.junit.jupiter.api.Test;

/** Who a request comes from: the peer, or past trusted proxies only, the nearest untrusted hop. */
class ClientAddressesTest {

    private final ClientAddresses clients = new ClientAddresses(AddressRanges.parse("OVATION_TRUSTED_PROXIES",
            "10.0.0.0/8, fd00::/8"));

    @Test
    void shouldTakeThePeerWhenItIsNoTrustedProxy() {
        assertThat(clients.of("192.0.2.10", "203.0.113.5")).isEqualTo("192.0.2.10");
        assertThat(clients.of("192.0.2.10", null)).isEqualTo("192.0.2.10");
        assertThat(clients.of(null, "203.0.113.5")).isEqualTo("unknown");
    }

    @Test
    void shouldTakeTheNearestUntrustedHopBehindTrustedProxies() {
        // the client wrote "1.2.3.4" itself; the ingress appended the address it saw, 203.0.113.5
        assertThat(clients.of("10.1.2.3", "1.2.3.4, 203.0.113.5")).isEqualTo("203.0.113.5");
        assertThat(clients.of("10.1.2.3", "203.0.113.5, 10.4.4.4")).isEqualTo("203.0.113.5");
        assertThat(clients.of("[fd00::1]", "2001:db8::7")).isEqualTo("2001:db8::7");
        assertThat(clients.of("10.1.2.3", null)).isEqualTo("10.1.2.3");
    }

    @Test
    void shouldRefuseASettingThatIsNotAListOfRanges() {
        assertThatThrownBy(() -> AddressRanges.parse("OVATION_TRUSTED_PROXIES", "ingress.local"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("OVATION_TRUSTED_PROXIES: 'ingress.local' is not an address or a CIDR range"
                        + " (e.g. 10.0.0.0/8 or ::1)");
        assertThatThrownBy(() -> AddressRanges.parse("OVATION_TRUSTED_PROXIES", "10.0.0.0/33"))
                .hasMessage("OVATION_TRUSTED_PROXIES: '10.0.0.0/33' has a bad prefix length (0 to 32)");
        assertThatThrownBy(() -> AddressRanges.parse("OVATION_TRUSTED_PROXIES", "10.0.0.256"))
                .hasMessageContaining("'10.0.0.256' is not an address");
    }

    @Test
    void shouldMatchRangesByPrefix() {
        AddressRanges ranges = AddressRanges.parse("x", "127.0.0.0/8,::1,192.168.1.0/24");
        assertThat(ranges.contains("127.0.0.2")).isTrue();
        assertThat(ranges.contains("::1")).isTrue();
        assertThat(ranges.contains("[::1]")).isTrue();
        assertThat(ranges.contains("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(ranges.contains("192.168.1.255")).isTrue();
        assertThat(ranges.contains("192.168.2.1")).isFalse();
        assertThat(ranges.contains("128.0.0.1")).isFalse();
        assertThat(ranges.contains("not-an-address")).isFalse();
    }

    @Test
    void shouldReadOnlyLiteralsNeverAName() {
        assertThat(AddressRanges.literal("192.0.2.1")).containsExactly(192, 0, 2, 1);
        assertThat(AddressRanges.literal("localhost")).isNull();
        assertThat(AddressRanges.literal("cafe")).isNull();
        assertThat(AddressRanges.literal("1.2.3")).isNull();
        assertThat(AddressRanges.literal("[1.2.3.4]")).containsExactly(1, 2, 3, 4);
        assertThat(AddressRanges.literal("::ffff:zz")).isNull();
        assertThat(AddressRanges.literal("2001:db8::7")).hasSize(16);
    }
}
