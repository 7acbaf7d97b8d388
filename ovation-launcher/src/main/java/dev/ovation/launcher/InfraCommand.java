package dev.ovation.launcher;

import dev.ovation.infra.EmbeddedInfrastructure;
import dev.ovation.infra.InfraSettings;
import dev.ovation.infra.RedisPassword;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ovation infra}: only the embedded infrastructure, for running the roles as separate processes. */
@Command(name = "infra", mixinStandardHelpOptions = true,
        description = {"Runs only the embedded infrastructure: a Kafka broker (KRaft), a Redis server (AOF on) and a"
                + " MongoDB-wire server, so that ingest, counter and results can run as separate processes.",
                "Prints the settings to give them. The defaults avoid the standard ports, so a local Kafka or"
                + " Redis does not collide."},
        footer = {"", "Environment:",
                "  " + LogFormat.ENV + "  " + LogFormat.HELP})
final class InfraCommand implements Callable<Integer> {

    @Mixin
    InfraOptions infra;

    @Override
    public Integer call() {
        InfraSettings settings = infra.settings();
        EmbeddedInfrastructure running = EmbeddedInfrastructure.start(settings);
        // The password is read from its file by the shell, so it is never printed.
        String redis = settings.exposed()
                ? "\"redis://:$(cat " + RedisPassword.file(settings).toAbsolutePath().normalize() + ")@"
                        + settings.host() + ":" + settings.redisPort() + "\""
                : running.redisUri();
        System.out.printf("""
                Ovation infrastructure is running (data in %s). Give the roles:
                  export OVATION_KAFKA=%s
                  export OVATION_REDIS=%s
                  export OVATION_MONGO=%s
                Press Ctrl-C to stop.
                """, infra.dataDir.toAbsolutePath().normalize(), running.kafkaBootstrapServers(),
                redis, running.mongoUri());
        return RunUntilStopped.run("the infrastructure", running);
    }
}
