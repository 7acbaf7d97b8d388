package dev.ovation.launcher;

import dev.ovation.counter.CounterConfig;
import dev.ovation.counter.CounterService;
import dev.ovation.infra.EmbeddedInfrastructure;
import dev.ovation.infra.InfraSettings;
import dev.ovation.infra.SecretFile;
import dev.ovation.ingest.IngestConfig;
import dev.ovation.ingest.IngestService;
import dev.ovation.model.Env;
import dev.ovation.results.ResultsConfig;
import dev.ovation.results.ResultsService;
import dev.ovation.store.StoreSettings;
import dev.ovation.web.Metrics;
import dev.ovation.web.Warmup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The whole pipeline in one process: embedded Kafka, Redis and MongoDB-wire server, then the
 * counter, the results API and the ingest, each talking to the infrastructure over the network
 * exactly as they would to external clusters. Closes in the reverse order.
 */
public final class Standalone implements AutoCloseable {

    private final EmbeddedInfrastructure infra;
    private final CounterService counter;
    private final ResultsService results;
    private final IngestService ingest;
    private final Metrics metrics;

    /** The client addresses standalone exempts from the per-address rate limit, unless told otherwise. */
    static final String LOCAL_CLIENTS = "127.0.0.0/8,::1";

    private Standalone(EmbeddedInfrastructure infra, CounterService counter, ResultsService results,
                       IngestService ingest, Metrics metrics) {
        this.infra = infra;
        this.counter = counter;
        this.results = results;
        this.ingest = ingest;
        this.metrics = metrics;
    }

    /**
     * Starts everything.
     *
     * @param env     settings not given here (timeouts, topic, batch sizes)
     * @param infraSettings where the embedded infrastructure keeps its data and listens
     * @param host    the address the HTTP and gRPC servers bind to
     */
    public static Standalone start(Env env, InfraSettings infraSettings, String host, int httpPort, int grpcPort,
                                   int resultsPort, int counterPort) throws Exception {
        return start(env, infraSettings, host, httpPort, grpcPort, resultsPort, counterPort,
                IngestConfig.contestsFile(env));
    }

    /**
     * Starts everything, creating the contests of {@code contestsFile} (null: none) that do not
     * exist yet.
     */
    public static Standalone start(Env env, InfraSettings infraSettings, String host, int httpPort, int grpcPort,
                                   int resultsPort, int counterPort, Path contestsFile) throws Exception {
        Duration warmup = Warmup.longest(env);
        EmbeddedInfrastructure infra = EmbeddedInfrastructure.start(infraSettings);
        // One process, one set of meters: every role's /metrics serves all of them.
        Metrics metrics = new Metrics();
        CounterService counter = null;
        ResultsService results = null;
        try {
            // the settings the roles share, pointed at the embedded servers
            StoreSettings stores = StoreSettings.from(env).at(infra.kafkaBootstrapServers(), infra.redisUri(),
                    infra.mongoUri());
            counter = CounterService.start(CounterConfig.from(env).at(stores, host, counterPort), metrics, warmup);
            results = ResultsService.start(ResultsConfig.from(env).at(stores, host, resultsPort)
                    .managementPort(Env.SAME_PORT), metrics);
            // one machine, one process: /metrics and the admin API stay on the HTTP port, on loopback by default
            IngestConfig ingestConfig = IngestConfig.from(env).managementPort(Env.SAME_PORT);
            if (env.string("OVATION_VOTER_SALT", null) == null) {
                // made once, kept with the data: the same voters keep the same pseudonyms across restarts
                ingestConfig = ingestConfig.voterSalt(SecretFile.loadOrCreate(
                        infraSettings.dataDir().resolve("voter-salt")));
            }
            if (InfraSettings.isLoopback(host)) {
                // nobody else can reach the admin API: a token in clear crosses no network
                ingestConfig = ingestConfig.adminPlaintext(true);
            }
            if (env.string("OVATION_RATE_LIMIT_EXEMPT", null) == null) {
                // One machine: its own clients (the load generator, a local demo) are not held to the
                // per-address limit; clients of other machines (--host 0.0.0.0) are.
                ingestConfig = ingestConfig.exempting(LOCAL_CLIENTS);
            }
            // the ingest is ready when both are warm: one process, one readiness
            IngestService ingest = IngestService.start(ingestConfig.at(stores, host, httpPort,
                    grpcPort, contestsFile), metrics, warmup, List.of(counter.warmupCheck()));
            return new Standalone(infra, counter, results, ingest, metrics);
        } catch (Exception e) {
            if (results != null) {
                results.close();
            }
            if (counter != null) {
                counter.close();
            }
            infra.close();
            metrics.close();
            throw e;
        }
    }

    /**
     * Waits until the ingest and the counter are warm (each stops warming up once the JIT has
     * settled, or after OVATION_WARMUP_SECONDS), at most {@code timeout}; whether they are.
     */
    public boolean awaitWarm(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        return counter.awaitWarm(timeout)
                && ingest.awaitWarm(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    public EmbeddedInfrastructure infra() {
        return infra;
    }

    public int httpPort() {
        return ingest.httpPort();
    }

    public int grpcPort() {
        return ingest.grpcPort();
    }

    public int resultsPort() {
        return results.port();
    }

    public int counterPort() {
        return counter.port();
    }

    /** Stops taking votes first, lets the counter finish its batch, then stops the infrastructure. */
    @Override
    public void close() throws InterruptedException {
        try {
            ingest.close();
        } finally {
            try {
                counter.close();
            } finally {
                try {
                    results.close();
                } finally {
                    infra.close();
                    metrics.close();
                }
            }
        }
    }
}
