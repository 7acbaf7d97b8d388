package dev.ovation.launcher;

import dev.ovation.infra.InfraSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the embedded infrastructure keeps its data and listens: shared by {@code standalone} and {@code infra}. */
final class InfraOptions {

    @Option(names = "--data-dir", defaultValue = "./data",
            description = "Where Kafka, Redis and the vote log keep their data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--expose-infra", paramLabel = "ADDRESS", description = "Bind the embedded Kafka, Redis and"
            + " MongoDB-wire server to ADDRESS, an address of this machine that other machines reach (default: they"
            + " listen on 127.0.0.1 only, whatever --host says). Redis then requires a password, made once and kept in"
            + " <data-dir>/redis/password; Kafka and the MongoDB-wire server have none: expose them only on a network"
            + " you trust.")
    String exposeInfra;

    @Option(names = "--kafka-port", defaultValue = "19092", description = "Embedded Kafka port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--redis-port", defaultValue = "16379", description = "Embedded Redis port (default: ${DEFAULT-VALUE}).")
    int redisPort;

    @Option(names = "--mongo-port", defaultValue = "27027",
            description = "Embedded MongoDB-wire port (default: ${DEFAULT-VALUE}).")
    int mongoPort;

    InfraSettings settings() {
        return new InfraSettings(dataDir, exposeInfra == null ? InfraSettings.DEFAULT_HOST : exposeInfra, kafkaPort,
                redisPort, mongoPort);
    }
}
