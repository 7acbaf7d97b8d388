package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ovation.infra.LocalPorts;
import dev.ovation.model.ConfigException;
import dev.ovation.model.UnreachableException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The check a role makes of OVATION_KAFKA before its Kafka clients start, on this machine's loopback only. */
class KafkaCheckTest {

    @Test
    void shouldPassWhenOneOfTheAddressesAcceptsAConnection() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int nobody = LocalPorts.pickFree("127.0.0.1");

            KafkaCheck.requireListening("127.0.0.1:" + nobody + ", 127.0.0.1:" + listening.getLocalPort(),
                    Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldSayInOneLineThatKafkaDidNotAnswerAndWhatToDo() {
        int nobody = LocalPorts.pickFree("127.0.0.1");

        assertThatThrownBy(() -> KafkaCheck.requireListening("127.0.0.1:" + nobody, Duration.ofSeconds(5)))
                .isInstanceOf(UnreachableException.class)
                .hasMessage("Kafka at 127.0.0.1:" + nobody + " did not answer (connection refused): start it, or set"
                        + " OVATION_KAFKA to its bootstrap servers (./ovation infra runs one at 127.0.0.1:19092)");
    }

    @Test
    void shouldNameAHostThatDoesNotResolve() {
        assertThatThrownBy(() -> KafkaCheck.requireListening("kafka.invalid:9092", Duration.ofSeconds(5)))
                .isInstanceOf(UnreachableException.class)
                .hasMessageStartingWith("Kafka at kafka.invalid:9092 did not answer (kafka.invalid is an unknown host)");
    }

    @Test
    void shouldReadTheAddressesAsTheKafkaClientsDo() {
        assertThat(KafkaCheck.parse("PLAINTEXT://broker-0:9092, [::1]:19092,"))
                .containsExactly(InetSocketAddress.createUnresolved("broker-0", 9092),
                        InetSocketAddress.createUnresolved("::1", 19092));
    }

    @Test
    void shouldRefuseAValueThatIsNoListOfAddresses() {
        assertThatThrownBy(() -> KafkaCheck.parse("localhost"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("OVATION_KAFKA=localhost is not a list of Kafka bootstrap servers; expected"
                        + " host:port[,host:port...], such as 127.0.0.1:19092");
    }
}
