package dev.ovation.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter topic of a votes topic, {@code <votes topic>.dead-letters}: one partition,
 * compacted, kept forever, keyed by each record's position. The counter writes to it
 * ({@link #writer}) before it moves past a record it cannot count, so a partition never stalls and
 * nothing is lost; the results role follows it ({@link #follow}) and counts each position once.
 */
public final class DeadLetterTopic {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterTopic.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterTopic() {
    }

    /** The dead-letter topic of {@code votesTopic}. */
    public static String of(String votesTopic) {
        return votesTopic + ".dead-letters";
    }

    /** Creates the topic unless it exists. */
    public static void ensureExists(Admin admin, String votesTopic, short replicationFactor) throws InterruptedException {
        KafkaTopics.ensure(admin, of(votesTopic), 1, replicationFactor,
                Map.of("cleanup.policy", "compact", "retention.ms", "-1"), 15_000);
    }

    /** Writes dead letters, each acknowledged by every in-sync replica before {@link Writer#write} returns. */
    public static Writer writer(String bootstrapServers, String votesTopic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "ovation-counter-dead-letters");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new Writer(new KafkaProducer<>(props, new StringSerializer(), new StringSerializer()), of(votesTopic));
    }

    /** The counter's side. */
    public static final class Writer implements AutoCloseable {

        private final KafkaProducer<String, String> producer;
        private final String topic;

        private Writer(KafkaProducer<String, String> producer, String topic) {
            this.producer = producer;
            this.topic = topic;
        }

        /**
         * Writes them and waits for Kafka's acknowledgement.
         *
         * @throws IllegalStateException when Kafka did not take them (the batch is then retried)
         */
        public void write(Collection<DeadLetter> letters) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(letters.size());
            for (DeadLetter letter : letters) {
                try {
                    sent.add(producer.send(new ProducerRecord<>(topic, letter.key(), JSON.writeValueAsString(letter))));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
            for (Future<RecordMetadata> ack : sent) {
                try {
                    ack.get(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while setting records aside", e);
                } catch (ExecutionException | TimeoutException e) {
                    throw new IllegalStateException("Kafka did not take a dead letter: " + e, e);
                }
            }
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Follows the topic from its start in a thread of its own; each position counts once. */
    public static Reader follow(String bootstrapServers, String votesTopic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 200);
        Reader reader = new Reader(new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer()),
                of(votesTopic));
        reader.thread.start();
        return reader;
    }

    /** The results role's side: every dead letter, by position. */
    public static final class Reader implements AutoCloseable {

        private final KafkaConsumer<String, String> consumer;
        private final Map<String, DeadLetter> letters = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        private Reader(KafkaConsumer<String, String> consumer, String topic) {
            this.consumer = consumer;
            this.thread = new Thread(() -> run(topic), "ovation-dead-letters");
            this.thread.setDaemon(true);
        }

        private void run(String topic) {
            try {
                TopicPartition partition = new TopicPartition(topic, 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                while (running) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                        try {
                            letters.put(record.key(), JSON.readValue(record.value(), DeadLetter.class));
                        } catch (IOException e) {
                            LOG.warn("skipping dead letter {}: {}", record.key(), e.getMessage());
                        }
                    }
                }
            } catch (WakeupException e) {
                if (running) {
                    LOG.error("stopped following the dead letters", e);
                }
            } catch (RuntimeException e) {
                LOG.error("stopped following the dead letters", e);
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }

        /** Every dead letter seen, newest position last within each partition. */
        public List<DeadLetter> all() {
            List<DeadLetter> all = new ArrayList<>(letters.values());
            all.sort(Comparator.comparing(DeadLetter::topic).thenComparingInt(DeadLetter::partition)
                    .thenComparingLong(DeadLetter::offset));
            return all;
        }

        /** How many were set aside from {@code contest}. */
        public long count(String contest) {
            return letters.values().stream().filter(l -> contest.equals(l.contest())).count();
        }

        @Override
        public void close() {
            running = false;
            consumer.wakeup();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
