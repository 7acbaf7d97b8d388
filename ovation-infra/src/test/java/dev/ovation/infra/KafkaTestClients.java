package dev.ovation.infra;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for the integration tests: create, produce, consume. */
final class KafkaTestClients {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private KafkaTestClients() {
    }

    static void createTopic(String bootstrapServers, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    /** Sends {@code count} records {@code key-i -> value-i} with acks=all and waits for every ack; returns them as "key=value". */
    static List<String> produce(String bootstrapServers, String topic, int count) throws InterruptedException, ExecutionException {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)));
                sent.add("key-" + i + "=value-" + i);
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
        return sent;
    }

    /** Reads the topic from the start in consumer group {@code groupId} until {@code expected} records came, then checks nothing else comes. */
    static List<String> consumeInGroup(String bootstrapServers, String topic, String groupId, int expected) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(bootstrapServers, groupId))) {
            consumer.subscribe(List.of(topic));
            return drain(consumer, expected);
        }
    }

    /** Reads every partition of the topic from the start without a group. */
    static List<String> consumeAssigned(String bootstrapServers, String topic, int expected) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(bootstrapServers, null))) {
            Set<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .collect(Collectors.toSet());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return drain(consumer, expected);
        }
    }

    private static List<String> drain(KafkaConsumer<String, String> consumer, int expected) {
        List<String> received = new ArrayList<>();
        await().atMost(DEADLINE).until(() -> {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                received.add(record.key() + "=" + record.value());
            }
            return received.size() >= expected;
        });
        for (ConsumerRecord<String, String> extra : consumer.poll(Duration.ofMillis(500))) {
            received.add(extra.key() + "=" + extra.value());
        }
        return received;
    }

    private static Map<String, Object> consumerConfig(String bootstrapServers, String groupId) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        if (groupId != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return config;
    }
}
