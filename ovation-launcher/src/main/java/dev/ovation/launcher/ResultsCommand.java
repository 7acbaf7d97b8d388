package dev.ovation.launcher;

import dev.ovation.model.Env;
import dev.ovation.web.Metrics;
import dev.ovation.results.ResultsConfig;
import dev.ovation.results.ResultsService;
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
                "  OVATION_TOPIC            votes topic, whose dead letters are shown (default votes)",
                "  OVATION_TLS_CERT, OVATION_TLS_KEY  PEM certificate chain and PKCS#8 key: served over TLS only",
                "  " + LogFormat.ENV + "       " + LogFormat.HELP})
final class ResultsCommand implements Callable<Integer> {

    @Override
    public Integer call() throws InterruptedException {
        ResultsConfig config = ResultsConfig.from(Env.system());
        ResultsService results = ResultsService.start(config, new Metrics());
        System.out.printf("Ovation results are served on http://%s:%d/%n", config.host(), results.port());
        return RunUntilStopped.run("the results API", results);
    }
}
