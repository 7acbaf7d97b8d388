package dev.ovation.store;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What every writer and reader of the votes topic agrees on, and what counting each vote exactly
 * once rests on (docs/design.md), in one place:
 *
 * <ul>
 *   <li><b>The record.</b> Its key is the vote's partition key in UTF-8 ({@link Vote#partitionKey()}:
 *       {@code <contest>/voter:<voter>}, or {@code <contest>/<id>} for a vote without a voter), so every
 *       vote of one voter, and every copy of one id, lands on one partition, where one counter decides
 *       them in order. Its value is the {@link VoteEnvelope} ({@code ovation.v1.VoteEvent}): the vote,
 *       its protocol, when the ingest received it and the contest's voter limit then.</li>
 *   <li><b>The producer</b> ({@link #PRODUCER}): {@code acks=all}, so an acknowledged vote is on every
 *       in-sync replica; idempotent, so a send that Kafka retries is stored once and in order; at most 5
 *       requests in flight per connection, the most with which idempotence keeps that order.</li>
 *   <li><b>The consumer</b> ({@link #CONSUMER}): no automatic offset commit, since where counting
 *       stands lives in the stores, written in the same step as the tallies and the log (a committed
 *       offset only shows lag); {@code read_uncommitted}, Kafka's default, said here on purpose: no
 *       writer is transactional, exactly once comes from the stored positions and not from Kafka
 *       transactions, and a transaction some other client left open would hold {@code read_committed}
 *       readers back.</li>
 *   <li><b>The topic</b> ({@link #TOPIC}): kept forever ({@code retention.ms=-1}), since it is the
 *       record that a recount replays and that a vote check reads back.</li>
 * </ul>
 *
 * <p>Each role adds its own tuning, which may not contradict these: the ingest's timeouts and batching
 * ({@code VotePublisher.createProducer}), the counter's group, fetch sizes and timeouts
 * ({@code CounterService.createConsumer}), the warm-up's feeder ({@code CounterWarmup}), the recount's
 * reader ({@code Recount.consumer}) and the vote checks' ({@link VoteRecords#open}).
 */
public final class VotesTopicContract {

    /** The producer settings of the contract, serializers included. */
    public static final Map<String, Object> PRODUCER = Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);

    /** The consumer settings of the contract, deserializers included. */
    public static final Map<String, Object> CONSUMER = Map.of(
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);

    /** The votes topic's own settings, given when it is created. */
    public static final Map<String, String> TOPIC = Map.of("retention.ms", "-1");

    private VotesTopicContract() {
    }

    /**
     * A producer of the votes topic (or of a topic of the same records, such as the warm-up's).
     *
     * @param tuning the role's own settings: bootstrap servers, client id, timeouts, batching
     * @throws IllegalArgumentException when {@code tuning} contradicts {@link #PRODUCER}
     */
    public static Producer<String, byte[]> producer(Map<String, Object> tuning) {
        return new KafkaProducer<>(producerConfig(tuning));
    }

    /**
     * A consumer of the votes topic (or of a topic of the same records).
     *
     * @param tuning the role's own settings: bootstrap servers, group or none, client id, fetch sizes, timeouts
     * @throws IllegalArgumentException when {@code tuning} contradicts {@link #CONSUMER}
     */
    public static KafkaConsumer<String, byte[]> consumer(Map<String, Object> tuning) {
        return new KafkaConsumer<>(consumerConfig(tuning));
    }

    /** {@code tuning} with the contract's producer settings. */
    static Map<String, Object> producerConfig(Map<String, Object> tuning) {
        return withContract("producer", tuning, PRODUCER);
    }

    /** {@code tuning} with the contract's consumer settings. */
    static Map<String, Object> consumerConfig(Map<String, Object> tuning) {
        return withContract("consumer", tuning, CONSUMER);
    }

    private static Map<String, Object> withContract(String client, Map<String, Object> tuning,
                                                    Map<String, Object> contract) {
        contract.forEach((name, value) -> {
            if (tuning.containsKey(name) && !sameSetting(tuning.get(name), value)) {
                throw new IllegalArgumentException("a " + client + " of the votes topic runs with " + name + "="
                        + settingText(value) + ", which counting each vote once rests on, not " + name + "="
                        + settingText(tuning.get(name)));
            }
        });
        Map<String, Object> config = new HashMap<>(tuning);
        config.putAll(contract);
        return config;
    }

    private static boolean sameSetting(Object given, Object contract) {
        return settingText(given).equals(settingText(contract));
    }

    private static String settingText(Object value) {
        return value instanceof Class<?> type ? type.getName() : String.valueOf(value);
    }

    /** The record of {@code envelope}'s vote, for {@code topic}: keyed by its partition key, the envelope as value. */
    public static ProducerRecord<String, byte[]> record(String topic, VoteEnvelope envelope) {
        return new ProducerRecord<>(topic, key(envelope.vote()), envelope.encode());
    }

    /** The record key of a vote: its partition key. */
    public static String key(Vote vote) {
        return vote.partitionKey();
    }

    /**
     * Reads a record value; a record without one (a tombstone) is no vote either.
     *
     * @throws InvalidProtocolBufferException when the bytes are not a vote envelope
     */
    public static VoteEnvelope decode(byte[] value) throws InvalidProtocolBufferException {
        return VoteEnvelope.decode(value == null ? new byte[0] : value);
    }
}
