package dev.ovation.store;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.ovation.model.ConfigException;
import dev.ovation.model.HealthCheck;
import dev.ovation.model.Redacted;
import dev.ovation.model.UnreachableException;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/** The MongoDB client as every role opens it (Redis: {@link RedisLink}), failing fast with a message naming the setting. */
public final class StoreClients {

    /** Where every role looks for Redis unless {@code OVATION_REDIS} says otherwise: the standalone's. */
    public static final String DEFAULT_REDIS = "redis://127.0.0.1:16379";
    /** Where every role looks for MongoDB unless {@code OVATION_MONGO} says otherwise: the standalone's. */
    public static final String DEFAULT_MONGO = "mongodb://127.0.0.1:27027";

    private StoreClients() {
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
