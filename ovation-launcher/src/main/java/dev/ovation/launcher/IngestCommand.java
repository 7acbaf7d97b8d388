package dev.ovation.launcher;

import dev.ovation.ingest.IngestConfig;
import dev.ovation.ingest.IngestService;
import dev.ovation.model.Env;
import dev.ovation.web.Metrics;
import dev.ovation.web.Warmup;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ovation ingest}: the HTTP and gRPC front door. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Receives votes over HTTP and gRPC and answers each once Kafka has acknowledged it.",
        footer = {"", "Environment:",
                "  OVATION_KAFKA               Kafka bootstrap servers (default 127.0.0.1:19092)",
                "  OVATION_HOST                address to bind (default 0.0.0.0)",
                "  OVATION_HTTP_PORT           HTTP port (default 8080)",
                "  OVATION_GRPC_PORT           gRPC port (default 50051)",
                "  OVATION_MANAGEMENT_PORT     port of /metrics, health and the admin API, which the HTTP port then does"
                        + " not serve (default 8081; same: everything on the HTTP port)",
                "  OVATION_DRAIN_SECONDS       on SIGTERM, seconds of not-ready while still taking votes (default 0)",
                "  OVATION_ACK_TIMEOUT_MS      longest wait for Kafka before 503/UNAVAILABLE (default 5000)",
                "  OVATION_PRODUCER_LINGER_MS  producer batching delay (default 1)",
                "  OVATION_TOPIC, OVATION_TOPIC_PARTITIONS, OVATION_TOPIC_REPLICATION  (default votes, 6, the brokers' default.replication.factor)",
                "  OVATION_CONTESTS            YAML/JSON file of contests created at start if missing",
                "  OVATION_ADMIN_TOKEN         bearer token of the admin API (unset: admin API disabled)",
                "  OVATION_MAX_VOTE_BYTES      largest HTTP body of one vote (default 16384)",
                "  OVATION_MAX_BATCH_BYTES     largest HTTP body of a batch (default 1048576)",
                "  OVATION_TRUSTED_PROXIES     proxies (CIDR list) whose X-Forwarded-For names the client",
                "  OVATION_RATE_LIMIT_EXEMPT   client addresses (CIDR list) never rate-limited per address",
                "  OVATION_TLS_CERT, OVATION_TLS_KEY  PEM certificate chain and PKCS#8 key: HTTP and gRPC over TLS only",
                "  OVATION_ADMIN_PLAINTEXT     true lets the admin API run without TLS (local use, a TLS-ending proxy)",
                "  OVATION_WARMUP_SECONDS      longest warm-up before /health/ready says ready (default 20; 0: none)",
                "  OVATION_VOTER_SALT          secret that voters are hashed with before anything stores them (same on every ingest)",
                "  " + LogFormat.ENV + "          " + LogFormat.HELP})
final class IngestCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        IngestConfig config = IngestConfig.from(Env.system());
        KafkaCheck.requireListening(config.stores().kafkaBootstrap());
        IngestService ingest = IngestService.start(config, new Metrics(), Warmup.longest(Env.system()), List.of());
        System.out.printf("Ovation ingest is running: HTTP on %s:%d, gRPC on %s:%d, metrics and admin API on %s:%d,"
                        + " Kafka at %s%n", config.host(), ingest.httpPort(), config.host(), ingest.grpcPort(),
                config.host(), ingest.managementPort(), config.stores().kafkaBootstrap());
        return RunUntilStopped.run("the ingest", ingest);
    }
}
