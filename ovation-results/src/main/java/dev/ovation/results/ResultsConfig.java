package dev.ovation.results;

import dev.ovation.store.StoreClients;
import dev.ovation.model.Env;
import dev.ovation.web.Tls;

/**
 * Settings of the results role, read once from the environment.
 *
 * @param kafkaBootstrap {@code OVATION_KAFKA}: where the contests topic is read from
 * @param redisUri      {@code OVATION_REDIS}
 * @param mongoUri      {@code OVATION_MONGO}
 * @param mongoDatabase {@code OVATION_MONGO_DATABASE}
 * @param host          {@code OVATION_HOST}
 * @param port          {@code OVATION_RESULTS_PORT}
 * @param replication   {@code OVATION_TOPIC_REPLICATION}: of the contests topic, should this
 *                      service be the first to create it
 * @param votesTopic    {@code OVATION_TOPIC}: the votes topic, whose dead letters are shown
 * @param tls           {@code OVATION_TLS_CERT}, {@code OVATION_TLS_KEY}: PEM files; the API and page are
 *                      then served only over TLS (null: plain text)
 */
public record ResultsConfig(String kafkaBootstrap, String redisUri, String mongoUri, String mongoDatabase, String host,
                            int port, short replication, String votesTopic, Tls tls) {

    public static final int DEFAULT_PORT = 8088;

    /** Reads the settings, failing fast on a bad value. */
    public static ResultsConfig from(Env env) {
        return new ResultsConfig(
                env.string("OVATION_KAFKA", "127.0.0.1:19092"),
                env.string("OVATION_REDIS", StoreClients.DEFAULT_REDIS),
                env.string("OVATION_MONGO", StoreClients.DEFAULT_MONGO),
                env.string("OVATION_MONGO_DATABASE", "ovation"),
                env.string("OVATION_HOST", "0.0.0.0"),
                env.port("OVATION_RESULTS_PORT", DEFAULT_PORT),
                (short) env.intInRange("OVATION_TOPIC_REPLICATION", 0, 0, 7),
                env.string("OVATION_TOPIC", dev.ovation.store.VotesTopic.DEFAULT_NAME),
                Tls.fromEnv(env));
    }
}
