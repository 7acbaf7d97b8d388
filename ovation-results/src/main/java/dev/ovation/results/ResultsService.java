package dev.ovation.results;

import com.mongodb.client.MongoClient;
import dev.ovation.model.Env;
import dev.ovation.store.DeadLetterTopic;
import dev.ovation.store.RedisLink;
import dev.ovation.store.StoreClients;
import dev.ovation.store.StoreSettings;
import dev.ovation.store.TallyStore;
import dev.ovation.store.VoteLog;
import dev.ovation.store.VoteRecords;
import dev.ovation.store.contest.ContestStore;
import dev.ovation.web.Metrics;
import dev.ovation.web.WebServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The results role: the read-only results API, the live page and its stream, over Redis, MongoDB
 * and the votes topic.
 */
public final class ResultsService implements AutoCloseable {

    /** Where the live page's files are on the classpath. */
    static final String PAGES = "/dev/ovation/results/web";

    private final ContestStore contests;
    private final RedisLink redis;
    private final MongoClient mongo;
    private final WebServer http;
    private final ContestBoard board;
    private final DeadLetterTopic.Reader deadLetters;
    private final LiveFeed feed;
    private final VoteRecords records;
    private final LogExports exports;

    private ResultsService(ContestStore contests, RedisLink redis, MongoClient mongo, WebServer http,
                           ContestBoard board, DeadLetterTopic.Reader deadLetters, LiveFeed feed,
                           VoteRecords records, LogExports exports) {
        this.exports = exports;
        this.deadLetters = deadLetters;
        this.feed = feed;
        this.records = records;
        this.contests = contests;
        this.redis = redis;
        this.mongo = mongo;
        this.http = http;
        this.board = board;
    }

    /**
     * Connects to Kafka (contests), Redis and MongoDB, failing fast when unreachable, and starts
     * serving, and refreshing the contest board ({@link ContestBoard}).
     *
     * @param metrics where the role's meters go, served at {@code /metrics}
     */
    public static ResultsService start(ResultsConfig config, Metrics metrics) throws InterruptedException {
        StoreSettings stores = config.stores();
        String kafka = stores.kafkaBootstrap();
        ContestStore contests = StoreClients.reachKafka(kafka, () -> ContestStore.open(kafka,
                ContestStore.DEFAULT_TOPIC, stores.votesTopic().replicationFactor()));
        RedisLink redis;
        try {
            redis = RedisLink.open(stores.redisUri(), Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            contests.close();
            throw e;
        }
        MongoClient mongo = null;
        DeadLetterTopic.Reader deadLetters = null;
        VoteRecords records = null;
        LiveFeed feed = null;
        LogExports exports = null;
        try {
            mongo = StoreClients.mongo(stores.mongoUri());
            TallyStore tallies = new TallyStore(redis, Duration.ZERO, Duration.ofSeconds(2));
            VoteLog log = new VoteLog(mongo.getDatabase(stores.mongoDatabase()));
            deadLetters = DeadLetterTopic.follow(kafka, stores.votesTopic().name());
            // a vote check's decision comes from Redis; the vote as the topic holds it is a detail, left
            // out when Kafka takes longer than a second (a broker lost or cut off)
            records = VoteRecords.open(kafka, stores.votesTopic().name(), Duration.ofSeconds(1));
            Clock clock = Clock.systemUTC();
            VoteRates rates = new VoteRates();
            feed = new LiveFeed(contests, tallies, log, rates, deadLetters, clock, metrics.registry()).start();
            ResultsConfig.Reads reads = config.reads();
            ReadLimits limits = new ReadLimits(reads, metrics.registry());
            exports = new LogExports(contests, log, clock, reads.exportCacheBytes() == 0 ? null
                    : ExportCache.open(reads.exportCacheDir(), reads.exportCacheBytes()), reads, metrics.registry());
            ResultsHttpApi api = new ResultsHttpApi(contests, tallies, log, clock, deadLetters, records, limits,
                    exports);
            WebServer http = WebServer.builder("results", config.host(), config.port()).maxRequestBytes(16 * 1024)
                    .readiness(List.of(StoreClients.redisCheck(redis), StoreClients.mongoCheck(mongo)))
                    .metrics(metrics).routes(api::addRoutes).front(new LiveStream(contests, feed, limits))
                    .tls(config.tls()).pages(new WebServer.Pages(PAGES))
                    .management(config.managementPort() == Env.SAME_PORT ? null
                            : new WebServer.Management(config.managementPort(), List.of()))
                    .start();
            return new ResultsService(contests, redis, mongo, http,
                    new ContestBoard(contests, tallies, rates, clock, metrics.registry()).start(), deadLetters, feed,
                    records, exports);
        } catch (RuntimeException e) {
            if (exports != null) {
                exports.close();
            }
            if (feed != null) {
                feed.close();
            }
            if (records != null) {
                records.close();
            }
            if (deadLetters != null) {
                deadLetters.close();
            }
            contests.close();
            if (mongo != null) {
                mongo.close();
            }
            redis.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    /** The port of {@code /metrics}: the results port when it has none of its own. */
    public int managementPort() {
        return http.managementPort();
    }

    @Override
    public void close() {
        try {
            board.close();
            // ends every live stream first, so the server does not wait for them to close
            feed.close();
            http.close();
            exports.close();
            records.close();
            deadLetters.close();
        } finally {
            mongo.close();
            redis.close();
            contests.close();
        }
    }
}
