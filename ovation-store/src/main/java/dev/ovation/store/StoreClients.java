package dev.ovation.store;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.ovation.model.ConfigException;
import dev.ovation.model.HealthCheck;
import dev.ovation.model.Redacted;
import dev.ovation.model.UnreachableException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.bson.Document;

/**
 * The clients as every role opens them at start, failing fast with a message naming the setting: Kafka's
 * admin client and the role's first calls to Kafka, and the MongoDB client (Redis: {@link RedisLink}).
 */
public final class StoreClients {

    private StoreClients() {
    }

    /**
     * The first calls a role makes to Kafka at start (topics checked or created, the contests read).
     *
     * @param <T> what they give the role
     */
    @FunctionalInterface
    public interface KafkaStart<T> {

        /**
         * Makes the calls.
         *
         * @throws IllegalStateException when Kafka refuses or does not answer in time
         */
        T call() throws InterruptedException;
    }

    /**
     * A Kafka admin client for a role's start and its readiness check: a call may take 15 s in all,
     * 5 s for one request. Nothing is sent until it is used.
     */
    public static Admin kafkaAdmin(String kafkaBootstrap, String clientId) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, clientId,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
    }

    /**
     * Makes a role's first calls to Kafka, so that a Kafka that does not answer stops every role with
     * the same message: {@code Kafka at <servers> is unreachable (<why>); check OVATION_KAFKA}.
     *
     * @throws UnreachableException when a call fails with an {@link IllegalStateException}
     */
    public static <T> T reachKafka(String kafkaBootstrap, KafkaStart<T> calls) throws InterruptedException {
        try {
            return calls.call();
        } catch (IllegalStateException e) {
            throw new UnreachableException("Kafka at " + kafkaBootstrap + " is unreachable (" + e.getMessage()
                    + "); check OVATION_KAFKA", e);
        }
    }

    /** A MongoDB client that has answered a ping; fails fast with a clear message. */
    public static MongoClient mongo(String uri) {
        ConnectionString connection;
        try {
            connection = new ConnectionString(uri);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("OVATION_MONGO=" + Redacted.uri(uri) + " is not a MongoDB connection string");
        }
        MongoClient mongo = MongoClients.create(MongoClientSettings.builder().applyConnectionString(connection)
                .applyToClusterSettings(b -> b.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .applyToSocketSettings(b -> b.connectTimeout(5, TimeUnit.SECONDS).readTimeout(30, TimeUnit.SECONDS))
                .build());
        try {
            mongo.getDatabase("admin").runCommand(new Document("ping", 1));
        } catch (RuntimeException e) {
            mongo.close();
            throw new UnreachableException("MongoDB at " + Redacted.uri(uri) + " is unreachable (" + e.getMessage()
                    + "); check OVATION_MONGO", e);
        }
        return mongo;
    }

    /** Readiness of MongoDB: it answers a ping. */
    public static HealthCheck mongoCheck(MongoClient mongo) {
        return HealthCheck.of("mongodb", () -> mongo.getDatabase("admin").runCommand(new Document("ping", 1)));
    }

    /** Redis is ready when it answers PING. */
    public static HealthCheck redisCheck(RedisLink redis) {
        return HealthCheck.of("redis", redis::ping);
    }
}
