package dev.ovation.ingest;

import dev.ovation.model.Protocol;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import dev.ovation.store.VotesTopicContract;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes votes to the votes topic and tells the caller when Kafka has acknowledged each one.
 *
 * <p>The producer is idempotent with {@code acks=all}: a completed future means the vote is
 * stored on every in-sync replica. A vote that Kafka cannot take within the acknowledgement
 * timeout fails with {@link VoteNotStoredException}; it is never reported as accepted.
 *
 * <p>Neither sending nor answering waits. {@link #publish} never blocks its caller (the producer's
 * {@code max.block.ms} is 0: a vote Kafka's buffer cannot take fails at once, as not stored), so
 * that event-loop threads (Netty's, Jetty's) may call it. The futures complete on the producer's
 * I/O thread, without a hop to another thread: what a caller chains on them must be quick and must
 * never block (writing a response without waiting, as gRPC observers and Jetty's asynchronous
 * {@code Response.write} do, is fine; a blocking servlet write is not), or it holds up every other vote.
 */
public final class VotePublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VotePublisher.class);

    /** How long {@link #awaitTopic} sleeps between two looks at the producer's metadata. */
    private static final long METADATA_POLL_MILLIS = 20;

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final Clock clock;
    private final int ackTimeoutMillis;
    private final IngestMetrics metrics;
    private final AckWatch acks;

    VotePublisher(Producer<String, byte[]> producer, String topic, int ackTimeoutMillis, Clock clock,
                  IngestMetrics metrics, AckWatch acks) {
        this.producer = producer;
        this.acks = acks;
        this.metrics = metrics;
        this.topic = topic;
        this.ackTimeoutMillis = ackTimeoutMillis;
        this.clock = clock;
    }

    /**
     * A producer set for durability, as the {@link VotesTopicContract} says (idempotent, {@code acks=all});
     * bounded by the ack timeout; and for callers that must not wait: {@code send} never blocks.
     */
    public static Producer<String, byte[]> createProducer(IngestConfig config) {
        return createProducer(config, "ovation-ingest");
    }

    /** The same producer, under another client id (the warm-up's twin has its own). */
    static Producer<String, byte[]> createProducer(IngestConfig config, String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.stores().kafkaBootstrap());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.LINGER_MS_CONFIG, config.lingerMillis());
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        int timeout = config.ackTimeoutMillis();
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1, timeout - config.lingerMillis()));
        // send() would otherwise wait for topic metadata or for room in the buffer, holding the
        // HTTP or gRPC thread that called it; instead it fails at once and the vote is answered
        // 503 / UNAVAILABLE. awaitTopic() fetches the metadata at start, and the topic is kept
        // in the producer's metadata however long no vote comes (the default forgets it after 5 min).
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);
        props.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, Integer.MAX_VALUE);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        return VotesTopicContract.producer(props);
    }

    /**
     * Waits until the producer knows the votes topic, so that the first vote is not refused for
     * want of metadata.
     *
     * @throws IllegalStateException when Kafka did not describe the topic within the ack timeout
     */
    public void awaitTopic() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ackTimeoutMillis);
        while (true) {
            try {
                // With max.block.ms=0 this asks for the topic's metadata and answers at once.
                if (!producer.partitionsFor(topic).isEmpty()) {
                    return;
                }
            } catch (KafkaException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("Kafka did not describe topic " + topic + " within "
                            + ackTimeoutMillis + " ms: " + e.getMessage(), e);
                }
            }
            Thread.sleep(METADATA_POLL_MILLIS);
        }
    }

    /**
     * Sends a vote without waiting; the future completes with it, on the producer's I/O thread,
     * once Kafka acknowledged it, or fails with {@link VoteNotStoredException}.
     *
     * @param votesPerVoter the contest's limit of counted votes per voter (0: none), carried in the
     *                      record so that counting applies the rule in force when the vote came
     */
    public CompletableFuture<Vote> publish(Vote vote, Protocol protocol, int votesPerVoter) {
        CompletableFuture<Vote> acknowledged = new CompletableFuture<>();
        long sent = System.nanoTime();
        VoteEnvelope envelope = new VoteEnvelope(vote, protocol.label(), clock.millis(), votesPerVoter);
        try {
            producer.send(VotesTopicContract.record(topic, envelope), (metadata, error) -> {
                if (error == null) {
                    metrics.acknowledged(protocol, System.nanoTime() - sent);
                    acks.acknowledged();
                    acknowledged.complete(vote);
                } else {
                    metrics.notStored(protocol, error);
                    acks.notStored(error);
                    acknowledged.completeExceptionally(notStored(vote, error));
                }
            });
        } catch (KafkaException e) {
            metrics.notStored(protocol, e);
            acks.notStored(e);
            acknowledged.completeExceptionally(notStored(vote, e));
        }
        return acknowledged;
    }

    private VoteNotStoredException notStored(Vote vote, Throwable cause) {
        // The client learns what to do, not Kafka's own words: those go to the log (and the metrics).
        LOG.debug("Kafka did not take a vote: {}", cause.toString());
        return new VoteNotStoredException(vote, "Kafka did not acknowledge the vote within " + ackTimeoutMillis
                + " ms; it may not have been stored: retry with the same id, it will count once", cause);
    }

    /** Waits for votes already sent, then closes the producer. */
    @Override
    public void close() {
        producer.close(Duration.ofMillis(ackTimeoutMillis));
    }
}
