package dev.ovation.launcher;

import dev.ovation.ingest.IngestConfig;
import dev.ovation.model.ConfigException;
import dev.ovation.model.Env;
import dev.ovation.web.Warmup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ovation standalone}: the whole pipeline on one machine. */
@Command(name = "standalone", mixinStandardHelpOptions = true,
        description = {"Runs the whole pipeline in one process: an embedded Kafka broker (KRaft), Redis server and"
                + " MongoDB-wire server, plus the ingest (HTTP and gRPC), the counter and the results API.",
                "Data is kept under --data-dir and survives a restart. Ctrl-C stops it cleanly."},
        footer = {"", "Other settings come from the environment, as for the single roles:",
                "  OVATION_ACK_TIMEOUT_MS      longest wait for Kafka before 503/UNAVAILABLE (default 5000)",
                "  OVATION_PRODUCER_LINGER_MS  producer batching delay (default 1)",
                "  OVATION_TOPIC_PARTITIONS    partitions of the votes topic (default 6)",
                "  OVATION_COUNTER_BATCH       most votes per counter write (default 10000)",
                "  OVATION_REDIS_SERVER        a redis-server binary to use instead of the bundled one",
                "  OVATION_ADMIN_TOKEN         bearer token of the admin API (unset: the admin API is disabled)",
                "  OVATION_CONTESTS            contests file, as --contests",
                "  " + LogFormat.ENV + "          " + LogFormat.HELP})
final class StandaloneCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneCommand.class);

    @Option(names = "--contests", description = "A YAML or JSON file of contests to create when they do not exist"
            + " yet (default: $OVATION_CONTESTS, else only the open 'default' contest). Samples: contests/samples.yaml.")
    Path contestsFile;

    @Mixin
    InfraOptions infra;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address the ingest (HTTP, gRPC), results"
            + " and counter ports bind to (default: ${DEFAULT-VALUE}; 0.0.0.0 to take votes from other machines). The"
            + " embedded Kafka, Redis and MongoDB-wire server stay on 127.0.0.1 unless --expose-infra says otherwise.")
    String host;

    @Option(names = "--http-port", defaultValue = "8080", description = "Ingest HTTP port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--grpc-port", defaultValue = "50051", description = "Ingest gRPC port (default: ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(names = "--results-port", defaultValue = "8088", description = "Results API and page port (default: ${DEFAULT-VALUE}).")
    int resultsPort;

    @Option(names = "--counter-port", defaultValue = "8090", description = "Counter's port of /metrics and /health"
            + " (default: ${DEFAULT-VALUE}). In one process, every port's /metrics serves all the roles' meters.")
    int counterPort;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        LOG.info("Starting Ovation standalone (data in {})...", infra.dataDir);
        Env env = Env.system();
        Path contests = contestsFile != null ? contestsFile : IngestConfig.contestsFile(env);
        if (contests != null && !Files.isReadable(contests)) {
            throw new ConfigException("--contests " + contests + " is not a readable file");
        }
        Standalone standalone = Standalone.start(env, infra.settings(),
                host, httpPort, grpcPort, resultsPort, counterPort, contests);
        long listening = System.nanoTime();
        Duration longest = Warmup.longest(env);
        if (!longest.isZero()) {
            LOG.info("Listening after {} s; warming up (votes of its own, never shown or kept) for at most {} s...",
                    String.format("%.1f", (listening - started) / 1e9), longest.toSeconds());
            if (!standalone.awaitWarm(longest.plusSeconds(30))) {
                LOG.warn("Not warm yet: /health/ready says why; votes are taken all the same");
            }
        }
        String shown = host.equals("0.0.0.0") ? "localhost" : host;
        System.out.printf("""
                Ovation is running (ready in %.1f s: listening after %.1f s, then warm-up %.1f s; data in %s)
                  vote over HTTP   http://%s:%d/api/votes    (seed shape: POST http://%s:%d/insert)
                  vote over gRPC   %s:%d    (ovation.v1.VoteService, confproto.getInfo; reflection on)
                  live page        http://%s:%d/    (API: /api/contests/default/results, /logs, /stream; /api/openapi.yaml)
                  metrics          http://%s:%d/metrics    (Prometheus; health: /health/ready)
                  infrastructure   Kafka %s · %s · %s
                  admin API        %s
                Press Ctrl-C to stop.
                """, (System.nanoTime() - started) / 1e9, (listening - started) / 1e9,
                (System.nanoTime() - listening) / 1e9, infra.dataDir.toAbsolutePath().normalize(),
                shown, standalone.httpPort(), shown, standalone.httpPort(), shown, standalone.grpcPort(),
                shown, standalone.resultsPort(), shown, standalone.httpPort(), standalone.infra().kafkaBootstrapServers(),
                standalone.infra().shownRedisUri(), standalone.infra().mongoUri(),
                IngestConfig.from(env).adminToken() == null ? "disabled (set OVATION_ADMIN_TOKEN to enable it)"
                        : "http://" + shown + ":" + standalone.httpPort() + "/api/admin/contests (bearer token)");
        return RunUntilStopped.run("Ovation", standalone);
    }
}
