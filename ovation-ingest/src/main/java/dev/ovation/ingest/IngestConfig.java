package dev.ovation.ingest;

import dev.ovation.model.ConfigException;
import dev.ovation.model.Env;
import dev.ovation.store.StoreSettings;
import dev.ovation.web.AddressRanges;
import dev.ovation.web.Tls;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Settings of the ingest role, read once from the environment.
 *
 * @param stores           {@code OVATION_KAFKA}, {@code OVATION_TOPIC}, {@code OVATION_TOPIC_PARTITIONS},
 *                         {@code OVATION_TOPIC_REPLICATION}: where Kafka is and the votes topic, read with the
 *                         other roles' shared settings ({@link StoreSettings}); the ingest uses no Redis nor MongoDB
 * @param host             {@code OVATION_HOST}: address the HTTP and gRPC servers bind to
 * @param httpPort         {@code OVATION_HTTP_PORT}: HTTP API port
 * @param grpcPort         {@code OVATION_GRPC_PORT}: gRPC port
 * @param ackTimeoutMillis {@code OVATION_ACK_TIMEOUT_MS}: how long a vote may wait for Kafka's
 *                         acknowledgement before the client gets 503 / UNAVAILABLE
 * @param lingerMillis     {@code OVATION_PRODUCER_LINGER_MS}: how long the producer waits to fill a batch
 * @param contestsFile     {@code OVATION_CONTESTS}: a YAML or JSON file of contests to create at
 *                         start when they do not exist yet (null: none)
 * @param adminToken       {@code OVATION_ADMIN_TOKEN}: the admin API's bearer token (null: the
 *                         admin API is disabled)
 * @param maxVoteBytes     {@code OVATION_MAX_VOTE_BYTES}: the largest HTTP body of one vote (default
 *                         16 KiB); a larger one gets 413 without being read
 * @param maxBatchBytes    {@code OVATION_MAX_BATCH_BYTES}: the largest HTTP body of a batch (default 1 MiB:
 *                         room for 1,000 votes of 200-character names)
 * @param trustedProxies   {@code OVATION_TRUSTED_PROXIES}: addresses or CIDR ranges of proxies (an
 *                         ingress controller, a load balancer) whose {@code X-Forwarded-For} names the
 *                         client (default: none)
 * @param rateLimitExempt  {@code OVATION_RATE_LIMIT_EXEMPT}: client addresses or CIDR ranges never held
 *                         to the per-address rate limit, such as an SMS gateway (default: none)
 * @param tls              {@code OVATION_TLS_CERT}, {@code OVATION_TLS_KEY}: PEM files; HTTP and gRPC then
 *                         speak only TLS (null: plain text)
 * @param adminPlaintext   {@code OVATION_ADMIN_PLAINTEXT}: {@code true} lets the admin API run without TLS
 *                         (for local use, or behind a proxy that terminates TLS); otherwise an admin token
 *                         without TLS stops the ingest at start
 * @param voterSalt        {@code OVATION_VOTER_SALT}: the secret that voters are hashed with
 *                         ({@link VoterPseudonyms}); the same on every ingest (null: unkeyed, with a warning)
 * @param managementPort   {@code OVATION_MANAGEMENT_PORT}: the port of {@code /metrics}, the health checks
 *                         and the admin API, which the HTTP port then does not serve (health excepted);
 *                         {@code same} ({@link Env#SAME_PORT}): all on the HTTP port
 * @param drainSeconds     {@code OVATION_DRAIN_SECONDS}: on stop, how long the ingest says it is not ready
 *                         while it keeps taking votes, so load balancers stop sending before it stops
 */
public record IngestConfig(StoreSettings stores, String host, int httpPort, int grpcPort,
                           int ackTimeoutMillis, int lingerMillis, Path contestsFile, String adminToken,
                           int maxVoteBytes, int maxBatchBytes, String trustedProxies, String rateLimitExempt,
                           Tls tls, boolean adminPlaintext, String voterSalt, int managementPort,
                           int drainSeconds) {

    @Override
    public String toString() {
        return "IngestConfig[kafka=" + stores.kafkaBootstrap() + ", topic=" + stores.votesTopic().name() + ", host="
                + host + ", http=" + httpPort + ", grpc=" + grpcPort + ", management=" + managementPort + ", tls="
                + (tls != null) + "]";
    }

    public IngestConfig {
        AddressRanges.parse("OVATION_TRUSTED_PROXIES", trustedProxies);
        AddressRanges.parse("OVATION_RATE_LIMIT_EXEMPT", rateLimitExempt);
    }

    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final int DEFAULT_GRPC_PORT = 50051;
    public static final int DEFAULT_MANAGEMENT_PORT = 8081;

    /** Reads the settings, failing fast on a bad value. */
    public static IngestConfig from(Env env) {
        return new IngestConfig(
                StoreSettings.from(env),
                env.string("OVATION_HOST", "0.0.0.0"),
                env.port("OVATION_HTTP_PORT", DEFAULT_HTTP_PORT),
                env.port("OVATION_GRPC_PORT", DEFAULT_GRPC_PORT),
                env.intInRange("OVATION_ACK_TIMEOUT_MS", 5_000, 100, 120_000),
                env.intInRange("OVATION_PRODUCER_LINGER_MS", 1, 0, 1_000),
                contestsFile(env),
                env.string("OVATION_ADMIN_TOKEN", null),
                env.intInRange("OVATION_MAX_VOTE_BYTES", 16 * 1024, 1024, 1024 * 1024),
                env.intInRange("OVATION_MAX_BATCH_BYTES", 1024 * 1024, 1024, 16 * 1024 * 1024),
                env.string("OVATION_TRUSTED_PROXIES", ""),
                env.string("OVATION_RATE_LIMIT_EXEMPT", ""),
                Tls.fromEnv(env),
                flag(env, "OVATION_ADMIN_PLAINTEXT"),
                env.string("OVATION_VOTER_SALT", null),
                env.portOrSame("OVATION_MANAGEMENT_PORT", DEFAULT_MANAGEMENT_PORT),
                env.intInRange("OVATION_DRAIN_SECONDS", 0, 0, 300));
    }

    private static boolean flag(Env env, String name) {
        String value = env.string(name, "false");
        if (!value.equals("true") && !value.equals("false")) {
            throw new ConfigException(name + "=" + value + " must be true or false");
        }
        return value.equals("true");
    }

    /** The same settings, but for where Kafka is, where to listen and which contests file to read. */
    public IngestConfig at(StoreSettings shared, String bindHost, int http, int grpc, Path contests) {
        return new IngestConfig(shared, bindHost, http, grpc, ackTimeoutMillis, lingerMillis, contests,
                adminToken, maxVoteBytes, maxBatchBytes, trustedProxies, rateLimitExempt, tls, adminPlaintext, voterSalt,
                managementPort, drainSeconds);
    }

    /** The same settings, with the management paths on this port ({@link Env#SAME_PORT}: the HTTP port). */
    public IngestConfig managementPort(int port) {
        return new IngestConfig(stores, host, httpPort, grpcPort, ackTimeoutMillis, lingerMillis,
                contestsFile, adminToken, maxVoteBytes, maxBatchBytes, trustedProxies, rateLimitExempt, tls,
                adminPlaintext, voterSalt, port, drainSeconds);
    }

    /** The same settings, with this voter salt. */
    public IngestConfig voterSalt(String salt) {
        return new IngestConfig(stores, host, httpPort, grpcPort, ackTimeoutMillis, lingerMillis,
                contestsFile, adminToken, maxVoteBytes, maxBatchBytes, trustedProxies, rateLimitExempt, tls,
                adminPlaintext, salt, managementPort, drainSeconds);
    }

    /** The same settings, with the admin API allowed (or not) without TLS. */
    public IngestConfig adminPlaintext(boolean allowed) {
        return new IngestConfig(stores, host, httpPort, grpcPort, ackTimeoutMillis, lingerMillis,
                contestsFile, adminToken, maxVoteBytes, maxBatchBytes, trustedProxies, rateLimitExempt, tls, allowed,
                voterSalt, managementPort, drainSeconds);
    }

    /** The same settings, with these client addresses exempt from the per-address rate limit. */
    public IngestConfig exempting(String ranges) {
        return new IngestConfig(stores, host, httpPort, grpcPort, ackTimeoutMillis, lingerMillis,
                contestsFile, adminToken, maxVoteBytes, maxBatchBytes, trustedProxies, ranges, tls, adminPlaintext,
                voterSalt, managementPort, drainSeconds);
    }

    /** {@code OVATION_CONTESTS}, checked to be a readable file. */
    public static Path contestsFile(Env env) {
        String file = env.string("OVATION_CONTESTS", null);
        if (file == null) {
            return null;
        }
        Path path = Path.of(file);
        if (!Files.isReadable(path)) {
            throw new ConfigException("OVATION_CONTESTS=" + file + " is not a readable file");
        }
        return path;
    }
}
