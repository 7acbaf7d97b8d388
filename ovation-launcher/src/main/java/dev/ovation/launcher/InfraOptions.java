package dev.ovation.launcher;

import dev.ovation.infra.InfraSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the embedded infrastructure keeps its data and listens: shared by {@code standalone} and {@code infra}. */
final class InfraOptions {

    @Option(names = "--data-dir", defaultValue = "./data",
            description = "Where Kafka, Redis and the vote log keep their data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address every server binds to (default:"
            + " ${DEFAULT-VALUE}; 0.0.0.0 to be reachable from other machines).")
    String host;

    @Option(names = "--kafka-port", defaultValue = "19092", description = "Embedded Kafka port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--redis-port", defaultValue = "16379", description = "Embedded Redis port (default: ${DEFAULT-VALUE}).")
    int redisPort;

    @Option(names = "--mongo-port", defaultValue = "27027",
            description = "Embedded MongoDB-wire port (default: ${DEFAULT-VALUE}).")
    int mongoPort;

    InfraSettings settings() {
        return new InfraSettings(dataDir, host, kafkaPort, redisPort, mongoPort);
    }
}
