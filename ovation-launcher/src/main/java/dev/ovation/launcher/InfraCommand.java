package dev.ovation.launcher;

import dev.ovation.infra.EmbeddedInfrastructure;
import dev.ovation.infra.InfraSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ovation infra}: only the embedded infrastructure, for running the roles as separate processes. */
@Command(name = "infra", mixinStandardHelpOptions = true,
        description = {"Runs only the embedded infrastructure: a Kafka broker (KRaft), a Redis server (AOF on) and a"
                + " MongoDB-wire server, so that ingest, counter and results can run as separate processes.",
                "Prints the settings to give them. The defaults avoid the standard ports, so a local Kafka or"
                + " Redis does not collide."})
final class InfraCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "./data", description = "Where Kafka and Redis keep their data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--kafka-port", defaultValue = "19092", description = "Kafka port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--redis-port", defaultValue = "16379", description = "Redis port (default: ${DEFAULT-VALUE}).")
    int redisPort;

    @Option(names = "--mongo-port", defaultValue = "27027", description = "MongoDB-wire port (default: ${DEFAULT-VALUE}).")
    int mongoPort;

    @Override
    public Integer call() {
        EmbeddedInfrastructure infra = EmbeddedInfrastructure.start(
                new InfraSettings(dataDir, host, kafkaPort, redisPort, mongoPort));
        System.out.printf("""
                Ovation infrastructure is running (data in %s). Give the roles:
                  export OVATION_KAFKA=%s
                  export OVATION_REDIS=%s
                  export OVATION_MONGO=%s
                Press Ctrl-C to stop.
                """, dataDir.toAbsolutePath().normalize(), infra.kafkaBootstrapServers(), infra.redisUri(),
                infra.mongoUri());
        return RunUntilStopped.run("the infrastructure", infra);
    }
}
