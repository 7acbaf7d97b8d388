package dev.ovation.launcher;

import dev.ovation.infra.EmbeddedInfrastructure;
import dev.ovation.infra.EmbeddedKafka;
import dev.ovation.infra.EmbeddedMongo;
import dev.ovation.infra.EmbeddedRedis;
import dev.ovation.infra.InfraSettings;
import dev.ovation.infra.RedisPassword;
import dev.ovation.infra.SecretFile;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    /** One server of the three, for a cluster of processes (bench/cluster runs the MongoDB-wire server so). */
    enum Component { kafka, redis, mongo }

    @Option(names = "--only", paramLabel = "SERVER", description = "Run only this one of the three servers: ${COMPLETION-CANDIDATES}"
            + " (default: all three). bench/cluster runs the MongoDB-wire server so, beside brokers and Redis nodes of"
            + " their own.")
    Component only;

    @Override
    public Integer call() {
        InfraSettings settings = infra.settings();
        if (only != null) {
            return runOnly(settings);
        }
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

    private int runOnly(InfraSettings settings) {
        AutoCloseable server;
        String export;
        switch (only) {
            case kafka -> {
                EmbeddedKafka kafka = EmbeddedKafka.start(settings.kafkaDir(), settings.host(), settings.kafkaPort());
                server = kafka;
                export = "OVATION_KAFKA=" + kafka.bootstrapServers();
            }
            case redis -> {
                EmbeddedRedis redis = EmbeddedRedis.start(settings.redisDir(), settings.host(), settings.redisPort(),
                        settings.exposed() ? SecretFile.loadOrCreate(RedisPassword.file(settings)) : null);
                server = redis;
                export = "OVATION_REDIS=" + redis.shownUri();
            }
            default -> {
                EmbeddedMongo mongo = EmbeddedMongo.start(settings.host(), settings.mongoPort(),
                        EmbeddedInfrastructure.mongoFile(settings));
                server = mongo;
                export = "OVATION_MONGO=" + mongo.uri();
            }
        }
        System.out.printf("Ovation's %s is running (data in %s). Give the roles:%n  export %s%nPress Ctrl-C to stop.%n",
                only, infra.dataDir.toAbsolutePath().normalize(), export);
        return RunUntilStopped.run("the " + only + " server", server);
    }
}
