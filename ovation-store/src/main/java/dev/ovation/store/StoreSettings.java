package dev.ovation.store;

import dev.ovation.model.Env;

/**
 * The settings the roles share, read once from the environment: where Kafka, Redis and MongoDB are,
 * and the votes topic. Each role's own settings ({@code IngestConfig}, {@code CounterConfig},
 * {@code ResultsConfig}) carry one of these beside what only that role reads; the standalone reads it
 * once and hands the same one, pointed at its embedded servers ({@link #at}), to the three roles.
 *
 * <p>The defaults are the addresses of the embedded servers ({@code ovation infra}, {@code standalone}).
 * Every role reads all of them, so a bad value stops any role at start; each uses those its own record
 * names (the ingest no Redis nor MongoDB, the results role not the partition count).
 *
 * @param kafkaBootstrap {@code OVATION_KAFKA}: Kafka bootstrap servers (every role)
 * @param votesTopic     {@code OVATION_TOPIC}, {@code OVATION_TOPIC_PARTITIONS}, {@code OVATION_TOPIC_REPLICATION}:
 *                       the votes topic; its replication factor is also that of every other topic a role
 *                       creates (the contests, the dead letters, the warm-up's)
 * @param redisUri       {@code OVATION_REDIS}: a Redis URI, or the seed nodes of a Redis Cluster (counter, results)
 * @param mongoUri       {@code OVATION_MONGO}: a MongoDB connection string (counter, results)
 * @param mongoDatabase  {@code OVATION_MONGO_DATABASE}: the database of the vote log (counter, results)
 */
public record StoreSettings(String kafkaBootstrap, VotesTopic votesTopic, String redisUri, String mongoUri,
                            String mongoDatabase) {

    /** Where every role looks for Kafka unless {@code OVATION_KAFKA} says otherwise: the standalone's. */
    public static final String DEFAULT_KAFKA = "127.0.0.1:19092";
    /** Where every role looks for Redis unless {@code OVATION_REDIS} says otherwise: the standalone's. */
    public static final String DEFAULT_REDIS = "redis://127.0.0.1:16379";
    /** Where every role looks for MongoDB unless {@code OVATION_MONGO} says otherwise: the standalone's. */
    public static final String DEFAULT_MONGO = "mongodb://127.0.0.1:27027";
    /** The database of the vote log unless {@code OVATION_MONGO_DATABASE} says otherwise. */
    public static final String DEFAULT_MONGO_DATABASE = "ovation";
    /** The votes topic's partitions unless {@code OVATION_TOPIC_PARTITIONS} says otherwise. */
    public static final int DEFAULT_PARTITIONS = 6;

    /** Reads the settings, failing fast on a bad value with a message that names the variable. */
    public static StoreSettings from(Env env) {
        return new StoreSettings(
                env.string("OVATION_KAFKA", DEFAULT_KAFKA),
                new VotesTopic(env.string("OVATION_TOPIC", VotesTopic.DEFAULT_NAME),
                        env.intInRange("OVATION_TOPIC_PARTITIONS", DEFAULT_PARTITIONS, 1, 1_000),
                        (short) env.intInRange("OVATION_TOPIC_REPLICATION", KafkaTopics.CLUSTER_DEFAULT, 0, 7)),
                env.string("OVATION_REDIS", DEFAULT_REDIS),
                env.string("OVATION_MONGO", DEFAULT_MONGO),
                env.string("OVATION_MONGO_DATABASE", DEFAULT_MONGO_DATABASE));
    }

    /** The same settings, for Kafka, Redis and MongoDB at these addresses (the standalone's own servers). */
    public StoreSettings at(String kafka, String redis, String mongo) {
        return new StoreSettings(kafka, votesTopic, redis, mongo, mongoDatabase);
    }
}
