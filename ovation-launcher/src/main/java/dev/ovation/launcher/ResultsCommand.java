package dev.ovation.launcher;

import dev.ovation.model.Env;
import dev.ovation.results.ResultsConfig;
import dev.ovation.results.ResultsService;
import dev.ovation.web.Metrics;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ovation results}: the public results API and page. */
@Command(name = "results", mixinStandardHelpOptions = true,
        description = "Serves the live results (from Redis) and the latest votes (from MongoDB), read-only.",
        footer = {"", "Environment:",
                "  OVATION_KAFKA            Kafka bootstrap servers, for the contests (default 127.0.0.1:19092)",
                "  OVATION_REDIS            Redis URI (default redis://127.0.0.1:16379)",
                "  OVATION_MONGO            MongoDB connection string (default mongodb://127.0.0.1:27027)",
                "  OVATION_MONGO_DATABASE   database (default ovation)",
                "  OVATION_HOST             address to bind (default 0.0.0.0)",
                "  OVATION_RESULTS_PORT     port (default 8088)",
                "  OVATION_MANAGEMENT_PORT  port of /metrics and health; the results port then answers 404 to /metrics"
                        + " (default 8089; same: everything on the results port)",
                "  OVATION_TOPIC            votes topic, whose dead letters are shown (default votes)",
                "  OVATION_TLS_CERT, OVATION_TLS_KEY  PEM certificate chain and PKCS#8 key: served over TLS only",
                "  OVATION_TRUSTED_PROXIES  proxies (CIDR list) whose X-Forwarded-For names the client",
                "  OVATION_EXPORTS_MAX, OVATION_EXPORTS_PER_ADDRESS  CSV exports of the log at once (default 2, 1 per address)",
                "  OVATION_VOTE_CHECKS_MAX, OVATION_VOTE_CHECKS_PER_ADDRESS  vote checks at once (default 16, 4 per address)",
                "  OVATION_STREAMS_MAX, OVATION_STREAMS_PER_ADDRESS  live streams open (default 2000, 200 per address)",
                "  OVATION_EXPORT_MB_PER_SECOND  the most one export sends a second (default 8; 0: no bound)",
                "  OVATION_EXPORT_CACHE_MB  disk for closed contests' exports, gzipped (default 48; 0: none)",
                "  OVATION_EXPORT_CACHE_DIR  where they are kept (default: a temporary directory)",
                "  " + LogFormat.ENV + "       " + LogFormat.HELP})
final class ResultsCommand implements Callable<Integer> {

    @Override
    public Integer call() throws InterruptedException {
        ResultsConfig config = ResultsConfig.from(Env.system());
        KafkaCheck.requireListening(config.stores().kafkaBootstrap());
        ResultsService results = ResultsService.start(config, new Metrics());
        System.out.printf("Ovation results are served on http://%s:%d/ (metrics on port %d)%n", config.host(),
                results.port(), results.managementPort());
        return RunUntilStopped.run("the results API", results);
    }
}
