package dev.ovation.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The settings and the record format that counting each vote once rests on, pinned; no broker needed. */
class VotesTopicContractTest {

    private static final Vote BY_VOTER = new Vote("id-1", "finals", "Queen", "Jazz", "1978", "", "v1:ab12");
    private static final Vote ANONYMOUS = new Vote("id-2", "finals", "Queen", "Jazz", "", "", "");

    @Test
    void shouldProduceWithAcksFromEveryReplicaIdempotentlyAndInOrder() {
        assertThat(VotesTopicContract.PRODUCER).containsExactlyInAnyOrderEntriesOf(Map.of(
                "acks", "all",
                "enable.idempotence", true,
                "max.in.flight.requests.per.connection", 5,
                "key.serializer", StringSerializer.class,
                "value.serializer", ByteArraySerializer.class));
    }

    @Test
    void shouldConsumeWithoutAutoCommitAndWithoutWaitingForTransactions() {
        assertThat(VotesTopicContract.CONSUMER).containsExactlyInAnyOrderEntriesOf(Map.of(
                "enable.auto.commit", false,
                "isolation.level", "read_uncommitted",
                "key.deserializer", StringDeserializer.class,
                "value.deserializer", ByteArrayDeserializer.class));
    }

    @Test
    void shouldKeepTheTopicForever() {
        assertThat(VotesTopicContract.TOPIC).containsExactlyEntriesOf(Map.of("retention.ms", "-1"));
    }

    @Test
    void shouldAddTheContractToARolesTuningAsKafkaReadsIt() {
        // Given the ingest's kind of tuning
        Map<String, Object> tuning = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9",
                ProducerConfig.CLIENT_ID_CONFIG, "ovation-ingest", ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);

        // When Kafka reads the settings a producer of the votes topic gets
        ProducerConfig producer = new ProducerConfig(VotesTopicContract.producerConfig(tuning));
        ConsumerConfig consumer = new ConsumerConfig(VotesTopicContract.consumerConfig(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9", ConsumerConfig.GROUP_ID_CONFIG, "counters")));

        // Then they are the contract's, and the role's tuning is kept
        assertThat(producer.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("-1");
        assertThat(producer.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isTrue();
        assertThat(producer.getInt(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION)).isEqualTo(5);
        assertThat(producer.getLong(ProducerConfig.MAX_BLOCK_MS_CONFIG)).isZero();
        assertThat(producer.getString(ProducerConfig.CLIENT_ID_CONFIG)).isEqualTo("ovation-ingest");
        assertThat(consumer.getBoolean(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isFalse();
        assertThat(consumer.getString(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_uncommitted");
        assertThat(consumer.getString(ConsumerConfig.GROUP_ID_CONFIG)).isEqualTo("counters");
    }

    @Test
    void shouldRefuseTuningThatContradictsTheContract() {
        assertThatThrownBy(() -> VotesTopicContract.producer(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:9", ProducerConfig.ACKS_CONFIG, "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a producer of the votes topic runs with acks=all, which counting each vote once rests on,"
                        + " not acks=1");
        assertThatThrownBy(() -> VotesTopicContract.consumer(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:9", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a consumer of the votes topic runs with enable.auto.commit=false, which counting each"
                        + " vote once rests on, not enable.auto.commit=true");
    }

    @Test
    void shouldAcceptTuningThatRepeatsTheContract() {
        Map<String, Object> config = VotesTopicContract.producerConfig(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));

        assertThat(config).containsAllEntriesOf(VotesTopicContract.PRODUCER);
    }

    @Test
    void shouldKeyAVoteByItsVoterElseByItsId() {
        assertThat(VotesTopicContract.key(BY_VOTER)).isEqualTo("finals/voter:v1:ab12");
        assertThat(VotesTopicContract.key(ANONYMOUS)).isEqualTo("finals/id-2");
    }

    @Test
    void shouldWriteTheEnvelopeAsTheValueAndReadItBack() throws InvalidProtocolBufferException {
        VoteEnvelope sent = new VoteEnvelope(BY_VOTER, "grpc", 1_700_000_000_000L, 3);

        ProducerRecord<String, byte[]> record = VotesTopicContract.record("votes", sent);

        assertThat(record.topic()).isEqualTo("votes");
        assertThat(record.partition()).isNull();
        assertThat(record.key()).isEqualTo("finals/voter:v1:ab12");
        assertThat(record.value()).isEqualTo(sent.encode());
        assertThat(VotesTopicContract.decode(record.value())).isEqualTo(sent);
    }

    @Test
    void shouldReadARecordWithoutValueAsNoVote() {
        assertThatThrownBy(() -> VotesTopicContract.decode(null)).isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> VotesTopicContract.decode(new byte[] {1, 2, 3}))
                .isInstanceOf(InvalidProtocolBufferException.class);
    }
}
