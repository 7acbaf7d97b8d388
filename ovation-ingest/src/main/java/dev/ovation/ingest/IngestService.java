package dev.ovation.ingest;

import dev.ovation.model.ConfigException;
import dev.ovation.model.Env;
import dev.ovation.model.HealthCheck;
import dev.ovation.model.VoteValidator;
import dev.ovation.model.contest.Contest;
import dev.ovation.model.contest.ContestFile;
import dev.ovation.model.contest.VoteAdmission;
import dev.ovation.store.KafkaHealthCheck;
import dev.ovation.store.KafkaTopics;
import dev.ovation.store.StoreClients;
import dev.ovation.store.VotesTopic;
import dev.ovation.store.WarmupSpace;
import dev.ovation.store.contest.ContestStore;
import dev.ovation.web.AddressRanges;
import dev.ovation.web.ClientAddresses;
import dev.ovation.web.Metrics;
import dev.ovation.web.Readiness;
import dev.ovation.web.Warmup;
import dev.ovation.web.WebServer;
import io.grpc.BindableService;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest role: the HTTP API and the gRPC server in front of one Kafka producer. Starting it
 * checks that Kafka answers and that the votes topic exists (creating it if needed), so a wrong
 * address fails at start with a clear message rather than at the first vote.
 */
public final class IngestService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

    /** Bodies of the admin API's requests larger than this get 413 (votes have their own limits). */
    static final int MAX_ADMIN_REQUEST_BYTES = 1024 * 1024;
    private static final int GRPC_MAX_MESSAGE_BYTES = 64 * 1024;
    /** How often the gRPC health service is brought in line with the readiness checks. */
    static final int HEALTH_WATCH_SECONDS = 2;

    private final Admin admin;
    private final ContestStore contests;
    private final VotePublisher publisher;
    private final WebServer http;
    private final IngestGrpcServer grpc;
    private final ScheduledExecutorService healthWatch;
    private final Warmup warmup;
    private final AtomicBoolean accepting;
    private final int drainSeconds;

    private IngestService(Admin admin, ContestStore contests, VotePublisher publisher, WebServer http,
                          IngestGrpcServer grpc, ScheduledExecutorService healthWatch, Warmup warmup,
                          AtomicBoolean accepting, int drainSeconds) {
        this.warmup = warmup;
        this.accepting = accepting;
        this.drainSeconds = drainSeconds;
        this.admin = admin;
        this.contests = contests;
        this.publisher = publisher;
        this.http = http;
        this.grpc = grpc;
        this.healthWatch = healthWatch;
    }

    /**
     * Starts the role.
     *
     * @param metrics where the role's meters go, served at {@code /metrics}
     * @throws IllegalStateException when Kafka is unreachable or a port is taken
     */
    public static IngestService start(IngestConfig config, Metrics metrics) throws Exception {
        return start(config, metrics, Duration.ZERO, List.of());
    }

    /**
     * Starts the role, then warms it up ({@link IngestWarmup}) for at most {@code warmup} while
     * {@code /health/ready} and the gRPC health service say it is not ready yet.
     *
     * @param alsoReady further checks the readiness waits for (standalone: the counter's warm-up)
     */
    public static IngestService start(IngestConfig config, Metrics metrics, Duration warmup,
                                      List<HealthCheck> alsoReady) throws Exception {
        if (config.adminToken() != null && config.tls() == null && !config.adminPlaintext()) {
            throw new ConfigException("OVATION_ADMIN_TOKEN is set but the ingest has no TLS (OVATION_TLS_CERT,"
                    + " OVATION_TLS_KEY): the token would cross the network in clear. Give the PEM files, or set"
                    + " OVATION_ADMIN_PLAINTEXT=true for local use or behind a proxy that terminates TLS");
        }
        String kafka = config.stores().kafkaBootstrap();
        VotesTopic topic = config.stores().votesTopic();
        Admin admin = StoreClients.kafkaAdmin(kafka, "ovation-ingest-admin");
        VotePublisher publisher = null;
        WebServer http = null;
        ContestStore contests = null;
        IngestGrpcServer grpc = null;
        try {
            contests = StoreClients.reachKafka(kafka, () -> {
                topic.ensureExists(admin, 15_000);
                if (!warmup.isZero()) {
                    WarmupSpace.of(topic).ensureTopic(admin, 15_000);
                }
                return ContestStore.open(kafka, ContestStore.DEFAULT_TOPIC, topic.replicationFactor());
            });
            // it warns, and never fails, when Kafka does not answer
            KafkaTopics.report(admin, List.of(topic.name(), ContestStore.DEFAULT_TOPIC), 15_000);
            if (config.contestsFile() != null) {
                createMissing(contests, ContestFile.read(config.contestsFile()));
            }
            IngestMetrics meters = new IngestMetrics(metrics.registry());
            AckWatch acks = new AckWatch();
            publisher = new VotePublisher(VotePublisher.createProducer(config), topic.name(),
                    config.ackTimeoutMillis(), Clock.systemUTC(), meters, acks);
            publisher.awaitTopic();
            VoteValidator validator = new VoteValidator();
            VoteAdmission admission = new VoteAdmission(contests, Clock.systemUTC());
            VoteIntake intake = new VoteIntake(validator, admission, new VoteThrottle(
                    AddressRanges.parse("OVATION_RATE_LIMIT_EXEMPT", config.rateLimitExempt())),
                    new VoterPseudonyms(config.voterSalt()), publisher, meters);
            ClientAddresses clients = new ClientAddresses(
                    AddressRanges.parse("OVATION_TRUSTED_PROXIES", config.trustedProxies()));
            VoteHttpApi api = new VoteHttpApi(intake, config.maxVoteBytes(), config.maxBatchBytes(), meters, clients);
            ContestAdminApi adminApi = new ContestAdminApi(contests, config.adminToken(), Clock.systemUTC());
            List<BindableService> services = IngestGrpcServer.voteServices(intake);
            NettyServerBuilder grpcBuilder = NettyServerBuilder
                    .forAddress(new InetSocketAddress(config.host(), config.grpcPort()));
            if (config.tls() != null) {
                grpcBuilder.sslContext(GrpcSslContexts.forServer(config.tls().certFile().toFile(),
                        config.tls().keyFile().toFile()).build());
            }
            grpc = new IngestGrpcServer(grpcBuilder
                    .maxInboundMessageSize(GRPC_MAX_MESSAGE_BYTES)
                    // what one client may hold: a slow handshake, a silent connection, a flood of
                    // pings or of calls on one connection, oversized headers
                    .handshakeTimeout(10, TimeUnit.SECONDS)
                    .maxConnectionIdle(5, TimeUnit.MINUTES)
                    .keepAliveTime(1, TimeUnit.MINUTES)
                    .keepAliveTimeout(20, TimeUnit.SECONDS)
                    .permitKeepAliveTime(20, TimeUnit.SECONDS)
                    .maxConcurrentCallsPerConnection(1_000)
                    .maxInboundMetadataSize(8 * 1024), clients, services);
            // gRPC listens before the HTTP port answers /health/ready, so that ready means both accept
            try {
                grpc.start();
            } catch (IOException e) {
                throw new IllegalStateException("gRPC could not listen on " + config.host() + ":" + config.grpcPort()
                        + ": " + e.getMessage(), e);
            }
            Warmup warming = Warmup.of("ingest", warmup, IngestWarmup.factory(config, WarmupSpace.of(topic)));
            AtomicBoolean accepting = new AtomicBoolean(true);
            List<HealthCheck> readiness = new ArrayList<>(List.of(new KafkaHealthCheck(admin), acks.check(),
                    warming.check(), stoppingCheck(accepting)));
            readiness.addAll(alsoReady);
            grpc.serving(Readiness.allUp(readiness));
            WebServer.Management management = config.managementPort() == Env.SAME_PORT ? null
                    : new WebServer.Management(config.managementPort(), List.of(ContestAdminApi.PATH));
            http = WebServer.builder("ingest", config.host(), config.httpPort())
                    .maxRequestBytes(MAX_ADMIN_REQUEST_BYTES).readiness(readiness).metrics(metrics)
                    .routes(adminApi::addRoutes).front(api).tls(config.tls()).management(management).start();
            return new IngestService(admin, contests, publisher, http, grpc, watchHealth(grpc, readiness),
                    warming.start(), accepting, config.drainSeconds());
        } catch (Exception e) {
            if (grpc != null) {
                grpc.close();
            }
            if (contests != null) {
                contests.close();
            }
            if (http != null) {
                http.close();
            }
            if (publisher != null) {
                publisher.close();
            }
            admin.close();
            throw e;
        }
    }

    /** {@code accepting}: DOWN from the moment the ingest is asked to stop. */
    private static HealthCheck stoppingCheck(AtomicBoolean accepting) {
        return HealthCheck.of("accepting", () -> {
            if (!accepting.get()) {
                throw new IllegalStateException("the ingest is stopping: send votes to another replica");
            }
        });
    }

    /**
     * Runs the HTTP readiness checks every {@value #HEALTH_WATCH_SECONDS} seconds and sets the gRPC
     * health service from them, so a gRPC client or probe sees {@code NOT_SERVING} while Kafka is down.
     */
    private static ScheduledExecutorService watchHealth(IngestGrpcServer grpc, List<HealthCheck> readiness) {
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ovation-grpc-health");
            thread.setDaemon(true);
            return thread;
        });
        watch.scheduleWithFixedDelay(() -> {
            try {
                grpc.serving(Readiness.allUp(readiness));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, HEALTH_WATCH_SECONDS, HEALTH_WATCH_SECONDS, TimeUnit.SECONDS);
        return watch;
    }

    /** Creates the contests of the file that do not exist yet; existing ones are managed by the admin API. */
    private static void createMissing(ContestStore contests, List<Contest> fromFile) throws InterruptedException {
        for (Contest contest : fromFile) {
            if (!contests.storedIds().contains(contest.id())) {
                contests.put(contest);
            }
        }
    }

    /** Waits until the role is warm, at most {@code timeout}; whether it is. */
    public boolean awaitWarm(Duration timeout) throws InterruptedException {
        return warmup.await(timeout);
    }

    public int httpPort() {
        return http.port();
    }

    public int grpcPort() {
        return grpc.port();
    }

    /** The port of {@code /metrics} and the admin API: the HTTP port when they have none of their own. */
    public int managementPort() {
        return http.managementPort();
    }

    /**
     * Stops without dropping a vote: says it is not ready (HTTP readiness and the gRPC health
     * service) and keeps taking votes for {@code OVATION_DRAIN_SECONDS}, so that load balancers stop
     * sending first; then stops accepting, lets the calls in flight be answered, and closes the
     * producer, which sends what it holds.
     */
    @Override
    public void close() throws InterruptedException {
        healthWatch.shutdownNow();
        warmup.stop();
        accepting.set(false);
        grpc.serving(false);
        if (drainSeconds > 0) {
            LOG.info("stopping: not ready, still taking votes for {} s while load balancers stop sending", drainSeconds);
            try {
                Thread.sleep(drainSeconds * 1_000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("stopping: no new votes; answering those in flight");
        try {
            grpc.close();
        } finally {
            http.close();
            publisher.close();
            contests.close();
            admin.close();
        }
    }
}
