package dev.ovation.counter;

import dev.ovation.store.RedisLink;
import dev.ovation.store.StoreClients;
import dev.ovation.store.VoteLog;
import dev.ovation.store.TallyStore;
import com.mongodb.client.MongoClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The counter role: one member of the counters' consumer group, writing to Redis and MongoDB.
 * Run as many as the topic has partitions; the group shares the partitions among them.
 */
public final class CounterService implements AutoCloseable {

    private final RedisLink redis;
    private final MongoClient mongo;
    private final VoteCounter counter;
    private final Thread thread;

    private CounterService(RedisLink redis, MongoClient mongo,
                           VoteCounter counter) {
        this.redis = redis;
        this.mongo = mongo;
        this.counter = counter;
        this.thread = new Thread(counter, "ovation-counter");
    }

    /**
     * Connects to Kafka, Redis and MongoDB, failing fast with a message naming the setting when
     * one is unreachable, then starts counting.
     */
    public static CounterService start(CounterConfig config) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000))) {
            config.topic().ensureExists(admin, 15_000);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("Kafka at " + config.kafkaBootstrap() + " is unreachable (" + e.getMessage()
                    + "); check OVATION_KAFKA", e);
        }
        RedisLink redis = RedisLink.open(config.redisUri(), Duration.ofSeconds(10));
        MongoClient mongo;
        try {
            mongo = StoreClients.mongo(config.mongoUri());
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        VoteLog log = new VoteLog(mongo.getDatabase(config.mongoDatabase())).ensureIndexes();
        VoteCounter counter = new VoteCounter(createConsumer(config), config.topic().name(), new TallyStore(redis, config.dedupRetention(), Duration.ofSeconds(10)), log,
                Clock.systemUTC());
        CounterService service = new CounterService(redis, mongo, counter);
        service.thread.start();
        return service;
    }

    private static KafkaConsumer<String, byte[]> createConsumer(CounterConfig config) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "ovation-counter");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxBatch());
        // Fuller batches: each batch costs the log a few writes whatever its size (bench/profile.sh),
        // so wait up to 100 ms for 64 KB (about 600 votes) rather than counting a handful at a time.
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Finishes the batch in hand, leaves the group, then closes the connections. */
    @Override
    public void close() throws InterruptedException {
        try {
            counter.stop();
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } finally {
            mongo.close();
            redis.close();
        }
    }
}
