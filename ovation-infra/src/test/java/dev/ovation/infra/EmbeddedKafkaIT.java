package dev.ovation.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

    private static final String HOST = "127.0.0.1";

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepRecordsAcrossRestart() throws Exception {
        // Given a broker that acknowledged 50 records on a 3-partition topic, then closed
        int port = LocalPorts.pickFree(HOST);
        List<String> sent;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, HOST, port)) {
            KafkaTestClients.createTopic(kafka.bootstrapServers(), "votes-restart", 3);
            sent = KafkaTestClients.produce(kafka.bootstrapServers(), "votes-restart", 50);
        }

        // When a new broker starts on the same directory and port
        try (EmbeddedKafka restarted = EmbeddedKafka.start(dataDir, HOST, port)) {

            // Then the topic and exactly the same records are there
            TopicDescription topic;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, restarted.bootstrapServers()))) {
                topic = admin.describeTopics(List.of("votes-restart")).allTopicNames().get().get("votes-restart");
            }
            assertThat(topic.partitions()).hasSize(3);
            List<String> received = KafkaTestClients.consumeAssigned(restarted.bootstrapServers(), "votes-restart", 50);
            assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    @Test
    void shouldNamePortWhenItIsTaken() throws Exception {
        // Given a port someone else listens on
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            int port = taken.getLocalPort();

            // When / Then
            assertThatThrownBy(() -> EmbeddedKafka.start(dataDir, HOST, port))
                    .isInstanceOf(InfrastructureStartException.class)
                    .hasMessage("Kafka could not start on " + HOST + ":" + port + ": port in use, perhaps by another Ovation"
                            + " (stop it, or start this one with --kafka-port and another port)");
        }
    }
}
