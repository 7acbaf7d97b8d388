package dev.ovation.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedInfrastructureIT {

    private static final String HOST = "127.0.0.1";

    private Path dataDir;
    private EmbeddedInfrastructure infra;

    @BeforeAll
    void startInfrastructure(@TempDir Path dataDir) {
        this.dataDir = dataDir;
        infra = EmbeddedInfrastructure.start(new InfraSettings(dataDir, HOST,
                LocalPorts.pickFree(HOST), LocalPorts.pickFree(HOST), LocalPorts.pickFree(HOST)));
    }

    @AfterAll
    void closeInfrastructure() {
        infra.close();
    }

    @Test
    void shouldDeliverExactlyTheRecordsProducedWithAcksAll() throws Exception {
        // Given a topic created with Admin
        KafkaTestClients.createTopic(infra.kafkaBootstrapServers(), "votes-it", 6);

        // When 100 records are produced with acks=all
        List<String> sent = KafkaTestClients.produce(infra.kafkaBootstrapServers(), "votes-it", 100);

        // Then a consumer group reads exactly those 100
        List<String> received = KafkaTestClients.consumeInGroup(infra.kafkaBootstrapServers(), "votes-it", "it-group", 100);
        assertThat(received).hasSize(100).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void shouldRunBrokerWithDurableSingleNodeSettings() throws Exception {
        // Given the running broker
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(KafkaNodeConfig.NODE_ID));

        // When its configuration is described
        Config config;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers()))) {
            config = admin.describeConfigs(List.of(broker)).all().get().get(broker);
        }

        // Then records are kept forever, topics are created on purpose only, one replica suffices
        assertThat(config.get("log.retention.ms").value()).isEqualTo("-1");
        assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
        assertThat(config.get("min.insync.replicas").value()).isEqualTo("1");
        assertThat(config.get("num.partitions").value()).isEqualTo("6");
        assertThat(config.get("offsets.topic.replication.factor").value()).isEqualTo("1");
        assertThat(config.get("group.initial.rebalance.delay.ms").value()).isEqualTo("0");
    }

    @Test
    void shouldReadBackWhatRedisStored() {
        // Given a Lettuce client on the Redis URI
        RedisClient client = RedisClient.create(infra.redisUri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {

            // When a value is set
            String reply = connection.sync().set("show:current", "finale");

            // Then it reads back
            assertThat(reply).isEqualTo("OK");
            assertThat(connection.sync().get("show:current")).isEqualTo("finale");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void shouldCountDocumentsInsertedIntoMongo() {
        // Given the official driver on the MongoDB URI
        try (MongoClient client = MongoClients.create(infra.mongoUri())) {
            MongoCollection<Document> votes = client.getDatabase("ovation").getCollection("votes");

            // When three documents are inserted
            votes.insertMany(List.of(
                    new Document("band", "b1").append("seat", 1),
                    new Document("band", "b2").append("seat", 2),
                    new Document("band", "b1").append("seat", 3)));

            // Then they are counted, in total and by filter
            assertThat(votes.countDocuments()).isEqualTo(3L);
            assertThat(votes.countDocuments(new Document("band", "b1"))).isEqualTo(2L);
        }
    }

    @Test
    void shouldKeepKafkaAndRedisDataInTheirOwnDirectories() {
        assertThat(infra.kafka().bootstrapServers()).isEqualTo(infra.kafkaBootstrapServers());
        assertThat(dataDir.resolve("kafka/logs/meta.properties")).isRegularFile();
        assertThat(dataDir.resolve("redis/appendonly.aof")).isRegularFile();
        assertThat(infra.redis().isRunning()).isTrue();
        assertThat(infra.redisUri()).startsWith("redis://" + HOST + ":");
        assertThat(infra.mongoUri()).isEqualTo(infra.mongo().uri()).startsWith("mongodb://" + HOST + ":");
    }

    @Test
    void shouldCloseStartedServersAndNameThePortWhenKafkaCannotStart(@TempDir Path otherDir) throws Exception {
        // Given the Kafka port is taken
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            InfraSettings settings = new InfraSettings(otherDir, HOST,
                    taken.getLocalPort(), LocalPorts.pickFree(HOST), LocalPorts.pickFree(HOST));

            // When the infrastructure starts
            // Then it fails naming Kafka's address, and Redis and MongoDB are closed again
            assertThatThrownBy(() -> EmbeddedInfrastructure.start(settings))
                    .isInstanceOf(InfrastructureStartException.class)
                    .hasMessage("Kafka could not start on " + HOST + ":" + taken.getLocalPort() + ": port in use, perhaps by"
                            + " another Ovation (stop it, or start this one with --kafka-port and another port)");
            assertThatCode(() -> LocalPorts.requireFree("Redis", HOST, settings.redisPort())).doesNotThrowAnyException();
            assertThatCode(() -> LocalPorts.requireFree("MongoDB", HOST, settings.mongoPort())).doesNotThrowAnyException();
        }
    }
}
