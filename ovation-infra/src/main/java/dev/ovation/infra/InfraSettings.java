package dev.ovation.infra;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the embedded infrastructure keeps its data and which ports it listens on.
 *
 * <p>Data layout: {@code dataDir/kafka/} holds the broker's log and metadata, {@code dataDir/redis/}
 * the Redis append-only file, {@code dataDir/mongo/ovation.mv} the vote log (an H2 MVStore file).
 *
 * @param dataDir root directory for the servers' data; created when missing
 * @param host the address every server binds to and advertises: loopback, unless the servers are
 *             exposed on purpose; then it must be an address of this machine that others reach
 *             (Kafka tells its clients to connect to it), and Redis requires a password
 * @param kafkaPort the Kafka client port
 * @param redisPort the Redis port
 * @param mongoPort the MongoDB-wire port
 */
public record InfraSettings(Path dataDir, String host, int kafkaPort, int redisPort, int mongoPort) {

    /** Loopback: the servers are for this machine only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Off the standard 9092 so a locally installed Kafka does not clash. */
    public static final int DEFAULT_KAFKA_PORT = 19092;
    /** Off the standard 6379 so a locally installed Redis does not clash. */
    public static final int DEFAULT_REDIS_PORT = 16379;
    /** Off the standard 27017 so a locally installed MongoDB does not clash. */
    public static final int DEFAULT_MONGO_PORT = 27027;

    /** Validates eagerly so a bad setting fails before any server starts. */
    public InfraSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            throw new IllegalArgumentException("the infrastructure cannot be exposed on " + host + ": give an address"
                    + " of this machine that other machines reach, such as 192.168.1.20 (Kafka tells its clients to"
                    + " connect to that address)");
        }
        requirePort("kafkaPort", kafkaPort);
        requirePort("redisPort", redisPort);
        requirePort("mongoPort", mongoPort);
        if (kafkaPort == redisPort || kafkaPort == mongoPort || redisPort == mongoPort) {
            throw new IllegalArgumentException("ports must differ, got kafka=" + kafkaPort
                    + " redis=" + redisPort + " mongo=" + mongoPort);
        }
    }

    /** The default host and ports, with data under {@code dataDir}. */
    public static InfraSettings defaults(Path dataDir) {
        return new InfraSettings(dataDir, DEFAULT_HOST, DEFAULT_KAFKA_PORT, DEFAULT_REDIS_PORT, DEFAULT_MONGO_PORT);
    }

    /** Settings on ports that were free a moment ago, on 127.0.0.1: for tests that must not collide. */
    public static InfraSettings onFreePorts(Path dataDir) {
        return new InfraSettings(dataDir, DEFAULT_HOST, LocalPorts.pickFree(DEFAULT_HOST),
                LocalPorts.pickFree(DEFAULT_HOST), LocalPorts.pickFree(DEFAULT_HOST));
    }

    /** Whether the servers listen beyond this machine (any address but loopback): then Redis needs a password. */
    public boolean exposed() {
        return !isLoopback(host);
    }

    /** Whether {@code host} is this machine's loopback: {@code localhost}, {@code 127.0.0.0/8} or {@code ::1}. */
    public static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /** The broker's directory: {@code dataDir/kafka}. */
    public Path kafkaDir() {
        return dataDir.resolve("kafka");
    }

    /** The Redis directory: {@code dataDir/redis}. */
    public Path redisDir() {
        return dataDir.resolve("redis");
    }

    private static void requirePort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be in 1..65535, got " + port);
        }
    }
}
