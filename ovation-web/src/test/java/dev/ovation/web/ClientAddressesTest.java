package dev.ovation.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ovation.model.ConfigException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/**
 * Who a request comes from: the peer, or past trusted proxies only, the nearest untrusted hop; the
 * peer given as the connection's address (the ingest's votes) or as text (the results' reads).
 */
class ClientAddressesTest {

    private final ClientAddresses clients = new ClientAddresses(AddressRanges.parse("OVATION_TRUSTED_PROXIES",
            "10.0.0.0/8, fd00::/8"));

    @Test
    void shouldTakeThePeerWhenItIsNoTrustedProxy() {
        assertThat(clients.of("192.0.2.10", "203.0.113.5")).isEqualTo("192.0.2.10");
        assertThat(clients.of("192.0.2.10", null)).isEqualTo("192.0.2.10");
        assertThat(clients.of((String) null, "203.0.113.5")).isEqualTo("unknown");
        assertThat(clients.of("", "203.0.113.5")).isEqualTo("unknown");
    }

    @Test
    void shouldTakeTheConnectionsPeerWhenItIsNoTrustedProxy() {
        assertThat(clients.of(peer("192.0.2.10"), "203.0.113.5")).isEqualTo("192.0.2.10");
        assertThat(clients.of(peer("192.0.2.10"), null)).isEqualTo("192.0.2.10");
        // an address is written as InetAddress writes it, whatever the client sent
        assertThat(clients.of(peer("2001:db8::7"), null)).isEqualTo("2001:db8:0:0:0:0:0:7");
    }

    @Test
    void shouldCallAPeerThatIsNoIpSocketUnknown() {
        assertThat(clients.of((SocketAddress) null, "203.0.113.5")).isEqualTo("unknown");
        assertThat(clients.of(new SocketAddress() { }, "203.0.113.5")).isEqualTo("unknown");
        assertThat(clients.of(InetSocketAddress.createUnresolved("10.1.2.3", 40_000), "203.0.113.5"))
                .isEqualTo("unknown");
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
    void shouldTakeTheNearestUntrustedHopBehindATrustedConnection() {
        // the client wrote "1.2.3.4" itself; the ingress appended the address it saw, 203.0.113.5
        assertThat(clients.of(peer("10.1.2.3"), "1.2.3.4, 203.0.113.5")).isEqualTo("203.0.113.5");
        assertThat(clients.of(peer("10.1.2.3"), "203.0.113.5, 10.4.4.4")).isEqualTo("203.0.113.5");
        assertThat(clients.of(peer("fd00::1"), "2001:db8::7")).isEqualTo("2001:db8::7");
        assertThat(clients.of(peer("10.1.2.3"), null)).isEqualTo("10.1.2.3");
    }

    @Test
    void shouldStopAtAHopThatIsNoAddressAndCutItShort() {
        String name = "x".repeat(100);
        assertThat(clients.of(peer("10.1.2.3"), "10.9.9.9, " + name + ", 10.4.4.4")).isEqualTo("x".repeat(64));
        // every hop trusted: the leftmost; only empty hops: the proxy itself
        assertThat(clients.of(peer("10.1.2.3"), "10.5.5.5, 10.4.4.4")).isEqualTo("10.5.5.5");
        assertThat(clients.of(peer("10.1.2.3"), " , ,")).isEqualTo("10.1.2.3");
        // a hop a proxy cannot have written is the client's own word, never a trusted proxy's
        assertThat(clients.of(peer("10.1.2.3"), "010.0.0.1")).isEqualTo("010.0.0.1");
        assertThat(clients.of(peer("10.1.2.3"), "10.0.0.1:443")).isEqualTo("10.0.0.1:443");
    }

    @Test
    void shouldRefuseASettingThatIsNotAListOfRanges() {
        assertThatThrownBy(() -> AddressRanges.parse("OVATION_TRUSTED_PROXIES", "ingress.local"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("OVATION_TRUSTED_PROXIES: 'ingress.local' is not an address or a CIDR range"
                        + " (e.g. 10.0.0.0/8 or ::1)");
        assertThatThrownBy(() -> AddressRanges.parse("OVATION_TRUSTED_PROXIES", "10.0.0.0/33"))
                .hasMessage("OVATION_TRUSTED_PROXIES: '10.0.0.0/33' has a bad prefix length (0 to 32)");
        assertThatThrownBy(() -> AddressRanges.parse("OVATION_TRUSTED_PROXIES", "fd00::/129"))
                .hasMessage("OVATION_TRUSTED_PROXIES: 'fd00::/129' has a bad prefix length (0 to 128)");
        assertThatThrownBy(() -> AddressRanges.parse("OVATION_TRUSTED_PROXIES", "10.0.0.0/-1"))
                .hasMessage("OVATION_TRUSTED_PROXIES: '10.0.0.0/-1' has a bad prefix length (0 to 32)");
        assertThatThrownBy(() -> AddressRanges.parse("OVATION_TRUSTED_PROXIES", "10.0.0.0/eight"))
                .hasMessage("OVATION_TRUSTED_PROXIES: '10.0.0.0/eight' has a bad prefix length (0 to 32)");
        assertThatThrownBy(() -> AddressRanges.parse("OVATION_TRUSTED_PROXIES", "10.0.0.256"))
                .hasMessageContaining("'10.0.0.256' is not an address");
        assertThatThrownBy(() -> AddressRanges.parse("OVATION_TRUSTED_PROXIES", "10.0.0.0/8,,::1"))
                .hasMessageContaining("'' is not an address");
    }

    @Test
    void shouldReadAnEmptySettingAsNoRange() {
        assertThat(AddressRanges.parse("x", null).isEmpty()).isTrue();
        assertThat(AddressRanges.parse("x", "  ").isEmpty()).isTrue();
        assertThat(AddressRanges.NONE.contains("127.0.0.1")).isFalse();
        assertThat(AddressRanges.NONE.contains(InetAddress.getLoopbackAddress())).isFalse();
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
        assertThat(ranges.contains((String) null)).isFalse();
    }

    @Test
    void shouldMatchAConnectionsAddressByPrefix() {
        AddressRanges ranges = AddressRanges.parse("x", "127.0.0.0/8,::1,192.168.1.0/24,10.9.0.0/16");
        assertThat(ranges.contains(address("127.0.0.2"))).isTrue();
        assertThat(ranges.contains(address("::1"))).isTrue();
        assertThat(ranges.contains(address("192.168.1.255"))).isTrue();
        assertThat(ranges.contains(address("10.9.3.4"))).isTrue();
        assertThat(ranges.contains(address("10.10.3.4"))).isFalse();
        assertThat(ranges.contains(address("192.168.2.1"))).isFalse();
        assertThat(ranges.contains(address("::2"))).isFalse();
        assertThat(ranges.contains((InetAddress) null)).isFalse();
    }

    @Test
    void shouldMatchPrefixesThatEndInsideAByte() {
        AddressRanges v4 = AddressRanges.parse("x", "172.16.0.0/12");
        AddressRanges v6 = AddressRanges.parse("x", "2001:db8:8000::/33");
        assertThat(v4.contains("172.31.255.255")).isTrue();
        assertThat(v4.contains("172.32.0.0")).isFalse();
        assertThat(v4.contains("172.15.255.255")).isFalse();
        assertThat(v6.contains("2001:db8:ffff::1")).isTrue();
        assertThat(v6.contains("2001:db8:7fff::1")).isFalse();
        assertThat(v6.contains("192.0.2.1")).isFalse();
        // /0 holds every address of its family, and none of the other
        assertThat(AddressRanges.parse("x", "0.0.0.0/0").contains("203.0.113.5")).isTrue();
        assertThat(AddressRanges.parse("x", "0.0.0.0/0").contains("2001:db8::7")).isFalse();
        assertThat(AddressRanges.parse("x", "::/0").contains(address("2001:db8::7"))).isTrue();
        assertThat(AddressRanges.parse("x", "::/0").contains(address("192.0.2.1"))).isFalse();
    }

    @Test
    void shouldReadOnlyLiteralsNeverAName() {
        assertThat(AddressRanges.literal("192.0.2.1")).containsExactly(192, 0, 2, 1);
        assertThat(AddressRanges.literal("0.0.0.0")).containsExactly(0, 0, 0, 0);
        assertThat(AddressRanges.literal("255.255.255.255")).containsExactly(255, 255, 255, 255);
        assertThat(AddressRanges.literal("localhost")).isNull();
        assertThat(AddressRanges.literal("cafe")).isNull();
        assertThat(AddressRanges.literal("1.2.3")).isNull();
        assertThat(AddressRanges.literal("[1.2.3.4]")).containsExactly(1, 2, 3, 4);
        assertThat(AddressRanges.literal("::ffff:zz")).isNull();
        assertThat(AddressRanges.literal("2001:db8::7")).hasSize(16);
        // an IPv4-mapped IPv6 address is the IPv4 address
        assertThat(AddressRanges.literal("::ffff:192.0.2.1")).containsExactly(192, 0, 2, 1);
    }

    @Test
    void shouldRefuseEachHostileLiteral() {
        String[] hostile = {
            "", " ", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4.", ".1.2.3.4", "1..2.3", "1.2.3.4.5", "1.2.3.04",
            "010.0.0.1", "00.0.0.0", "256.0.0.1", "1.2.3.1000", "1234.1.1.1", "-1.2.3.4", "+1.2.3.4",
            "0x7f.0.0.1", "127.1", "2130706433", "1.2.3.4/8", "1.2.3.4:80", "١.٢.٣.٤", "１.２.３.４",
            "[1.2.3.4", "1.2.3.4]", "[]", "[", "]", "[[::1]]", "[::1", "::1]", ":::", "1:2:3:4:5:6:7:8:9",
            "::1%", "%eth0", "[%eth0]", "::1 ", "example.com", "::1.example.com", "ffff::fffff", "g::1",
            "1.2.3.4%eth0", "x".repeat(65), "1".repeat(65), "::" + "0".repeat(70) + "1", "\u0000", "1.2.3.4\n",
        };
        for (String text : hostile) {
            assertThat(AddressRanges.literal(text)).as("'%s'", text).isNull();
        }
    }

    @Test
    void shouldDropAnIpv6ZoneAndKeepTheAddress() {
        assertThat(AddressRanges.literal("fe80::1%eth0")).isEqualTo(AddressRanges.literal("fe80::1"));
        assertThat(AddressRanges.literal("[fe80::1%2]")).isEqualTo(AddressRanges.literal("fe80::1"));
        assertThat(AddressRanges.parse("x", "fe80::/10").contains("fe80:0:0:0:0:0:0:1%no-such-interface")).isTrue();
    }

    private static InetSocketAddress peer(String literal) {
        return new InetSocketAddress(address(literal), 40_000);
    }

    private static InetAddress address(String literal) {
        byte[] bytes = AddressRanges.literal(literal);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
