package dev.ovation.store.contest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ovation.model.Vote;
import dev.ovation.model.contest.Contest;
import dev.ovation.model.contest.ContestDirectory;
import dev.ovation.model.contest.ContestFile;
import dev.ovation.store.KafkaTopics;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contests, kept in the compacted Kafka topic {@code contests} (key: contest id, value: its
 * JSON) so that every ingest and results process sees the same definitions, durably, without
 * another database. Each process reads the whole topic at start and follows it after. (Counters
 * need no contests: a vote's limit per voter travels in its record.) The {@code default} contest
 * exists even when the topic does not name it.
 *
 * <p>Writes are last-writer-wins: two admins creating the same new id at the same moment on two
 * ingest processes may both succeed, and the later definition stands.
 */
public final class ContestStore implements ContestDirectory, AutoCloseable {

    /** The default topic name. */
    public static final String DEFAULT_TOPIC = "contests";
    private static final Logger LOG = LoggerFactory.getLogger(ContestStore.class);

    private final String topic;
    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final Map<String, Contest> contests = new ConcurrentHashMap<>();
    private final Thread follower;
    private volatile boolean running = true;

    private ContestStore(String topic, KafkaConsumer<String, String> consumer, KafkaProducer<String, String> producer) {
        this.topic = topic;
        this.consumer = consumer;
        this.producer = producer;
        this.follower = new Thread(this::follow, "ovation-contests");
        this.follower.setDaemon(true);
    }

    /**
     * Creates the topic if needed, reads it to its end (deadline 30 s), then follows it.
     *
     * @throws IllegalStateException when Kafka does not answer in time
     */
    public static ContestStore open(String bootstrapServers, String topic, short replicationFactor)
            throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000))) {
            KafkaTopics.ensure(admin, topic, 1, replicationFactor, Map.of("cleanup.policy", "compact"), 15_000);
        }
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
                new StringDeserializer());
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        producerProps.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                new StringSerializer());
        ContestStore store = new ContestStore(topic, consumer, producer);
        try {
            store.catchUp();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        store.follower.start();
        return store;
    }

    private void catchUp() {
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(15)).get(partition);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (consumer.position(partition, Duration.ofSeconds(15)) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read the contests topic '" + topic + "' within 30 s");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(this::apply);
        }
    }

    private void follow() {
        try {
            while (running) {
                consumer.poll(Duration.ofMillis(500)).forEach(this::apply);
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("stopped following the contests topic", e);
            }
        } catch (RuntimeException e) {
            LOG.error("stopped following the contests topic", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            contests.remove(record.key());
            return;
        }
        try {
            contests.put(record.key(), ContestFile.JSON.readValue(record.value(), Contest.class));
        } catch (IOException e) {
            LOG.error("skipping contest '{}' at offset {}: not a contest ({})", record.key(), record.offset(),
                    e.getMessage());
        }
    }

    @Override
    public Optional<Contest> find(String id) {
        Contest stored = contests.get(id);
        if (stored == null && id.equals(Vote.DEFAULT_CONTEST)) {
            return Optional.of(Contest.defaultContest());
        }
        return Optional.ofNullable(stored);
    }

    @Override
    public List<Contest> all() {
        Map<String, Contest> all = new TreeMap<>(contests);
        all.putIfAbsent(Vote.DEFAULT_CONTEST, Contest.defaultContest());
        return all.values().stream().sorted(Comparator.comparing(Contest::id)).toList();
    }

    /** Ids of the contests stored in the topic (the built-in default aside). */
    public Set<String> storedIds() {
        return Set.copyOf(contests.keySet());
    }

    /**
     * Stores a contest and waits for Kafka's acknowledgement; this process sees it at once, the
     * others within a moment.
     *
     * @throws IllegalStateException when Kafka does not acknowledge it
     */
    public Contest put(Contest contest) throws InterruptedException {
        try {
            producer.send(new ProducerRecord<>(topic, contest.id(), ContestFile.JSON.writeValueAsString(contest)))
                    .get(15, TimeUnit.SECONDS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write contest " + contest.id(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not store contest '" + contest.id() + "': " + e.getMessage(), e);
        }
        contests.put(contest.id(), contest);
        return contest;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            if (follower.isAlive()) {
                follower.join(TimeUnit.SECONDS.toMillis(10));
            } else {
                consumer.close(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
