package dev.ovation.infra;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Everything Ovation needs around it on one machine: a KRaft Kafka broker, a Redis server and a
 * MongoDB-wire server, started together and closed in reverse start order.
 *
 * <p>Start order is MongoDB, Redis, Kafka: the quick ones first, so a taken port fails fast. When
 * one cannot start, the ones already started are closed and the failure is rethrown as an
 * {@link InfrastructureStartException} naming the server and its address.
 *
 * <pre>{@code
 * try (EmbeddedInfrastructure infra = EmbeddedInfrastructure.start(InfraSettings.defaults(Path.of("data")))) {
 *     infra.kafkaBootstrapServers(); // 127.0.0.1:19092
 *     infra.redisUri();              // redis://127.0.0.1:16379
 *     infra.mongoUri();              // mongodb://127.0.0.1:27027
 * }
 * }</pre>
 */
public final class EmbeddedInfrastructure implements AutoCloseable {

    private final EmbeddedMongo mongo;
    private final EmbeddedRedis redis;
    private final EmbeddedKafka kafka;

    private EmbeddedInfrastructure(EmbeddedMongo mongo, EmbeddedRedis redis, EmbeddedKafka kafka) {
        this.mongo = mongo;
        this.redis = redis;
        this.kafka = kafka;
    }

    /**
     * Starts the three servers with data under {@code settings.dataDir()} ({@code kafka/}, {@code redis/},
     * and {@code mongo/ovation.mv}, the MongoDB-wire server's H2 MVStore file, so the vote log survives a restart).
     *
     * @throws InfrastructureStartException when one cannot start; the others are closed by then
     */
    public static EmbeddedInfrastructure start(InfraSettings settings) {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            EmbeddedMongo mongo = EmbeddedMongo.start(settings.host(), settings.mongoPort(), mongoFile(settings));
            started.push(mongo);
            EmbeddedRedis redis = EmbeddedRedis.start(settings.redisDir(), settings.host(), settings.redisPort(),
                    settings.exposed() ? SecretFile.loadOrCreate(RedisPassword.file(settings)) : null);
            started.push(redis);
            EmbeddedKafka kafka = EmbeddedKafka.start(settings.kafkaDir(), settings.host(), settings.kafkaPort());
            started.push(kafka);
            return new EmbeddedInfrastructure(mongo, redis, kafka);
        } catch (RuntimeException e) {
            closeAll(started, e);
            throw e;
        }
    }

    /** The MongoDB-wire server's data file: {@code dataDir/mongo/ovation.mv}. */
    public static Path mongoFile(InfraSettings settings) {
        return settings.dataDir().resolve("mongo").resolve("ovation.mv");
    }

    /** {@code host:port} of the Kafka broker, for {@code bootstrap.servers}. */
    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** {@code redis://host:port}, with the password when Redis is exposed: give it to clients, never show it. */
    public String redisUri() {
        return redis.uri();
    }

    /** {@link #redisUri()} without the password, to show or log. */
    public String shownRedisUri() {
        return redis.shownUri();
    }

    /** {@code mongodb://host:port}. */
    public String mongoUri() {
        return mongo.uri();
    }

    /** The Kafka broker. */
    public EmbeddedKafka kafka() {
        return kafka;
    }

    /** The Redis server. */
    public EmbeddedRedis redis() {
        return redis;
    }

    /** The MongoDB-wire server. */
    public EmbeddedMongo mongo() {
        return mongo;
    }

    /**
     * Closes Kafka, then Redis, then MongoDB. Every one is closed even when an earlier one fails;
     * the first failure is thrown with the later ones suppressed.
     */
    @Override
    public void close() {
        Deque<AutoCloseable> reverseStartOrder = new ArrayDeque<>();
        reverseStartOrder.push(mongo);
        reverseStartOrder.push(redis);
        reverseStartOrder.push(kafka);
        RuntimeException failure = closeAll(reverseStartOrder, null);
        if (failure != null) {
            throw failure;
        }
    }

    /** Closes from the top of the stack down; returns {@code failure} (or the first close failure) with the rest suppressed. */
    private static RuntimeException closeAll(Deque<AutoCloseable> stack, RuntimeException failure) {
        RuntimeException first = failure;
        while (!stack.isEmpty()) {
            try {
                stack.pop().close();
            } catch (Exception e) {
                RuntimeException closeFailure = e instanceof RuntimeException runtime
                        ? runtime
                        : new IllegalStateException("Could not close embedded server", e);
                if (first == null) {
                    first = closeFailure;
                } else {
                    first.addSuppressed(closeFailure);
                }
            }
        }
        return first;
    }
}
