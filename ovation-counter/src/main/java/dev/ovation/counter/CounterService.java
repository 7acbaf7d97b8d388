package dev.ovation.counter;

import com.mongodb.client.MongoClient;
import dev.ovation.model.HealthCheck;
import dev.ovation.store.DeadLetterTopic;
import dev.ovation.store.KafkaHealthCheck;
import dev.ovation.store.KafkaTopics;
import dev.ovation.store.RedisLink;
import dev.ovation.store.StoreClients;
import dev.ovation.store.StoreSettings;
import dev.ovation.store.TallyStore;
import dev.ovation.store.VoteLog;
import dev.ovation.store.VotesTopic;
import dev.ovation.store.VotesTopicContract;
import dev.ovation.store.WarmupSpace;
import dev.ovation.web.Metrics;
import dev.ovation.web.Warmup;
import dev.ovation.web.WebServer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The counter role: one member of the counters' consumer group, writing to Redis and MongoDB.
 * Run as many as the topic has partitions; the group shares the partitions among them.
 */
public final class CounterService implements AutoCloseable {

    /**
     * The longest a Redis command may take: a batch's scripts take well under a second, so a command
     * held longer went to a master that is gone, and is tried again (on its promoted replica) sooner.
     */
    static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;
    private final RedisLink redis;
    private final MongoClient mongo;
    private final VoteCounter counter;
    private final Thread thread;
    private final Warmup warmup;
    private WebServer http;

    private CounterService(Admin admin, RedisLink redis, MongoClient mongo, VoteCounter counter, Warmup warmup) {
        this.warmup = warmup;
        this.admin = admin;
        this.redis = redis;
        this.mongo = mongo;
        this.counter = counter;
        this.thread = new Thread(counter, "ovation-counter");
    }

    /**
     * Connects to Kafka, Redis and MongoDB, failing fast with a message naming the setting when
     * one is unreachable, then starts counting and serving {@code /metrics} and {@code /health/*}
     * on its HTTP port.
     *
     * @param metrics where the role's meters go
     */
    public static CounterService start(CounterConfig config, Metrics metrics) throws InterruptedException {
        return start(config, metrics, Duration.ZERO);
    }

    /**
     * The same, warming up ({@link CounterWarmup}) for at most {@code warmup} before
     * {@code /health/ready} says ready; the counting of real votes starts at once all the same.
     */
    public static CounterService start(CounterConfig config, Metrics metrics, Duration warmup)
            throws InterruptedException {
        StoreSettings stores = config.stores();
        VotesTopic topic = stores.votesTopic();
        Admin admin = StoreClients.kafkaAdmin(stores.kafkaBootstrap(), "ovation-counter-admin");
        RedisLink redis = null;
        MongoClient mongo = null;
        try {
            StoreClients.reachKafka(stores.kafkaBootstrap(), () -> {
                topic.ensureExists(admin, 15_000);
                DeadLetterTopic.ensureExists(admin, topic.name(), topic.replicationFactor());
                if (!warmup.isZero()) {
                    WarmupSpace.of(topic).ensureTopic(admin, 15_000);
                }
                return KafkaTopics.report(admin, List.of(topic.name(), DeadLetterTopic.of(topic.name())), 15_000);
            });
            redis = RedisLink.open(stores.redisUri(), REDIS_TIMEOUT);
            mongo = StoreClients.mongo(stores.mongoUri());
            VoteLog log = new VoteLog(mongo.getDatabase(stores.mongoDatabase()));
            TallyStore tallies = new TallyStore(redis, config.dedupRetention(), REDIS_TIMEOUT);
            VoteCounter counter = new VoteCounter(createConsumer(config, config.groupId(), "ovation-counter"),
                    topic.name(), tallies, log, Clock.systemUTC(), new CounterMetrics(metrics.registry()),
                    DeadLetterTopic.writer(stores.kafkaBootstrap(), topic.name()));
            // the warm-up's own stores: the same classes, so the same code is compiled
            Warmup warming = Warmup.of("counter", warmup, CounterWarmup.factory(config, WarmupSpace.of(topic),
                    new TallyStore(redis, config.dedupRetention(), REDIS_TIMEOUT),
                    new VoteLog(mongo.getDatabase(stores.mongoDatabase()))));
            CounterService service = new CounterService(admin, redis, mongo, counter, warming);
            service.http = WebServer.builder("counter", config.host(), config.port()).maxRequestBytes(1024)
                    .readiness(List.of(new KafkaHealthCheck(admin), StoreClients.redisCheck(redis),
                            StoreClients.mongoCheck(mongo), service.countingCheck(), warming.check()))
                    .metrics(metrics).start();
            service.thread.start();
            warming.start();
            return service;
        } catch (RuntimeException e) {
            if (mongo != null) {
                mongo.close();
            }
            if (redis != null) {
                redis.close();
            }
            admin.close();
            throw e;
        }
    }

    /** Ready only while the counting thread runs (it ends only when stopped or on a fatal error). */
    private HealthCheck countingCheck() {
        return HealthCheck.of("counting", () -> {
            if (!thread.isAlive()) {
                throw new IllegalStateException("the counting thread has stopped");
            }
        });
    }

    /** The port of {@code /metrics} and {@code /health/*}. */
    public int port() {
        return http.port();
    }

    /** Waits until the role is warm, at most {@code timeout}; whether it is. */
    public boolean awaitWarm(Duration timeout) throws InterruptedException {
        return warmup.await(timeout);
    }

    /** The readiness check of the warm-up, named {@code counter-warmup} (standalone's ingest waits on it too). */
    public HealthCheck warmupCheck() {
        HealthCheck check = warmup.check();
        return HealthCheck.of("counter-warmup", check::check);
    }

    /**
     * A member of the counters' group: the {@link VotesTopicContract}'s consumer, with the counter's own
     * batching and timeouts.
     */
    static KafkaConsumer<String, byte[]> createConsumer(CounterConfig config, String groupId, String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.stores().kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxBatch());
        // Fuller batches: each batch costs the log a few writes whatever its size (bench/profile.sh),
        // so wait up to 100 ms for 64 KB (about 600 votes) rather than counting a handful at a time.
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        // A fetch waits at most 100 ms at the broker, so an answer later than 5 s means the broker is
        // gone or cut off: ask again (and the cluster who leads now) instead of Kafka's 30 s. With 30 s,
        // counting of a cut-off broker's partitions stopped for 25 s (docs/reliability.md).
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        // and learn who leads a partition now at least every 5 s (Kafka's default: 5 min): a broker cut
        // off answers nothing, so without a fresh look the counter kept asking it until the heal
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
        return VotesTopicContract.consumer(props);
    }

    /** Finishes the batch in hand, leaves the group, then closes the connections. */
    @Override
    public void close() throws InterruptedException {
        try {
            warmup.stop();
            counter.stop();
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } finally {
            http.close();
            mongo.close();
            redis.close();
            admin.close();
        }
    }
}
