package dev.ovation.launcher;

import dev.ovation.counter.CounterConfig;
import dev.ovation.counter.CounterService;
import dev.ovation.model.Env;
import dev.ovation.model.Redacted;
import dev.ovation.web.Metrics;
import dev.ovation.web.Warmup;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ovation counter}: one member of the counters' consumer group. */
@Command(name = "counter", mixinStandardHelpOptions = true,
        description = "Counts votes from Kafka into the Redis tallies and the MongoDB log. Run one or many: the"
                + " consumer group shares the topic's partitions among them.",
        footer = {"", "Environment:",
                "  OVATION_KAFKA            Kafka bootstrap servers (default 127.0.0.1:19092)",
                "  OVATION_REDIS            Redis URI (default redis://127.0.0.1:16379)",
                "  OVATION_MONGO            MongoDB connection string (default mongodb://127.0.0.1:27027)",
                "  OVATION_MONGO_DATABASE   database (default ovation)",
                "  OVATION_COUNTER_GROUP    consumer group (default ovation-counter)",
                "  OVATION_COUNTER_BATCH    most votes per write (default 10000)",
                "  OVATION_HOST             address of the HTTP port (default 0.0.0.0)",
                "  OVATION_COUNTER_PORT     HTTP port of /metrics and /health (default 8090)",
                "  OVATION_WARMUP_SECONDS   longest warm-up before /health/ready says ready (default 20; 0: none)",
                "  OVATION_TOPIC, OVATION_TOPIC_PARTITIONS, OVATION_TOPIC_REPLICATION  (default votes, 6, the brokers' default.replication.factor)",
                "  " + LogFormat.ENV + "       " + LogFormat.HELP})
final class CounterCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        CounterConfig config = CounterConfig.from(Env.system());
        KafkaCheck.requireListening(config.stores().kafkaBootstrap());
        CounterService counter = CounterService.start(config, new Metrics(), Warmup.longest(Env.system()));
        System.out.printf("Ovation counter is running: Kafka %s (group %s) -> Redis %s, MongoDB %s;"
                        + " metrics and health on %s:%d%n", config.stores().kafkaBootstrap(), config.groupId(),
                Redacted.uri(config.stores().redisUri()), Redacted.uri(config.stores().mongoUri()), config.host(),
                counter.port());
        return RunUntilStopped.run("the counter", counter);
    }
}
