package dev.ovation.ingest;

import dev.ovation.model.Protocol;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes votes to the votes topic and tells the caller when Kafka has acknowledged each one.
 *
 * <p>The producer is idempotent with {@code acks=all}: a completed future means the vote is
 * stored on every in-sync replica. A vote that Kafka cannot take within the acknowledgement
 * timeout fails with {@link VoteNotStoredException}; it is never reported as accepted.
 *
 * <p>Futures complete on the given executor, never on the producer's I/O thread, so that callers
 * may write responses without holding up other sends.
 */
public final class VotePublisher implements AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final Executor completions;
    private final Clock clock;
    private final int ackTimeoutMillis;

    public VotePublisher(Producer<String, byte[]> producer, String topic, int ackTimeoutMillis, Executor completions,
                         Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.ackTimeoutMillis = ackTimeoutMillis;
        this.completions = completions;
        this.clock = clock;
    }

    /** A producer set for durability: idempotent, {@code acks=all}, bounded by the ack timeout. */
    public static Producer<String, byte[]> createProducer(IngestConfig config) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "ovation-ingest");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, config.lingerMillis());
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        int timeout = config.ackTimeoutMillis();
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1, timeout - config.lingerMillis()));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Sends a vote; the future completes with it once Kafka acknowledged it, or fails with
     * {@link VoteNotStoredException}.
     *
     * @param votesPerVoter the contest's limit of counted votes per voter (0: none), carried in the
     *                      record so that counting applies the rule in force when the vote came
     */
    public CompletableFuture<Vote> publish(Vote vote, Protocol protocol, int votesPerVoter) {
        CompletableFuture<Vote> acknowledged = new CompletableFuture<>();
        byte[] value = new VoteEnvelope(vote, protocol.label(), clock.millis(), votesPerVoter).encode();
        try {
            producer.send(new ProducerRecord<>(topic, vote.partitionKey(), value), (metadata, error) -> {
                if (error == null) {
                    completions.execute(() -> acknowledged.complete(vote));
                } else {
                    completions.execute(() -> acknowledged.completeExceptionally(notStored(error)));
                }
            });
        } catch (KafkaException e) {
            acknowledged.completeExceptionally(notStored(e));
        }
        return acknowledged;
    }

    private VoteNotStoredException notStored(Throwable cause) {
        return new VoteNotStoredException("Kafka did not acknowledge the vote within " + ackTimeoutMillis
                + " ms (" + cause.getClass().getSimpleName() + ": " + cause.getMessage()
                + "); it may not have been stored: retry with the same id, it will count once", cause);
    }

    /** Waits for votes already sent, then closes the producer. */
    @Override
    public void close() {
        producer.close(Duration.ofMillis(ackTimeoutMillis));
    }
}
