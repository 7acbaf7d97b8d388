package dev.ovation.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller), running in this
 * JVM.
 *
 * <p>The log directory is formatted on first start only, so starting again on the same
 * {@code dataDir} keeps every topic and record. Records are kept forever ({@code log.retention.ms=-1})
 * because the vote topic is the durable record of the votes. Topics are not created automatically.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, "127.0.0.1", 19092)) {
 *     Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration STARTUP_DEADLINE = Duration.ofSeconds(60);
    /** Written by the formatter into every formatted log directory. */
    private static final String META_PROPERTIES = "meta.properties";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts a broker and returns once it answers an Admin {@code describeCluster}.
     *
     * @param dataDir the broker's directory, created when missing; its {@code logs/} subdirectory is
     *     formatted only when it holds no {@code meta.properties} yet, and {@code server.properties}
     *     records the settings of the latest start
     * @param host the address to bind and to advertise to clients
     * @param port the client port
     * @throws InfrastructureStartException when the port is taken, the storage cannot be formatted,
     *     or the broker does not answer within 60 seconds
     */
    public static EmbeddedKafka start(Path dataDir, String host, int port) {
        LocalPorts.requireFree("Kafka", host, port);
        long startNanos = System.nanoTime();
        String bootstrapServers = host + ":" + port;
        KafkaRaftServer server;
        try {
            Path logDir = dataDir.resolve("logs");
            Files.createDirectories(logDir);
            int controllerPort = LocalPorts.pickFree(host);
            Properties properties = KafkaNodeConfig.properties(logDir, host, port, controllerPort);
            formatIfNeeded(properties, dataDir, logDir);
            server = new KafkaRaftServer(new KafkaConfig(properties, false), Time.SYSTEM);
        } catch (IOException | RuntimeException e) {
            throw new InfrastructureStartException("Kafka", host, port, describe(e), e);
        }
        EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrapServers);
        try {
            server.startup();
            awaitBrokerAnswers(bootstrapServers, startNanos);
        } catch (RuntimeException e) {
            InfrastructureStartException failure = e instanceof InfrastructureStartException started
                    ? started
                    : new InfrastructureStartException("Kafka", host, port, describe(e), e);
            try {
                kafka.close();
            } catch (RuntimeException closeFailure) {
                failure.addSuppressed(closeFailure);
            }
            throw failure;
        }
        LOG.info("Kafka broker ready on {} in {} ms (data in {})", bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), dataDir.toAbsolutePath());
        return kafka;
    }

    /** The {@code host:port} for a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Shuts the broker down cleanly and waits until its ports are released. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.shutdown();
            server.awaitShutdown();
            LOG.info("Kafka broker on {} stopped", bootstrapServers);
        }
    }

    /**
     * Formats like {@code kafka-storage.sh format} does, from the same properties the broker runs
     * with (kept in {@code server.properties} beside the log directory for an operator to read).
     */
    private static void formatIfNeeded(Properties properties, Path dataDir, Path logDir) throws IOException {
        Path propertiesFile = dataDir.resolve("server.properties");
        try (Writer writer = Files.newBufferedWriter(propertiesFile, StandardCharsets.UTF_8)) {
            properties.store(writer, "Written by EmbeddedKafka on each start; the controller port is picked anew each time");
        }
        if (Files.exists(logDir.resolve(META_PROPERTIES))) {
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(new String[] {
                "format", "--config", propertiesFile.toString(), "--cluster-id", Uuid.randomUuid().toString()
            }, printStream);
        }
        String printed = output.toString(StandardCharsets.UTF_8).strip();
        if (exitCode != 0) {
            throw new IOException("formatting " + logDir + " failed (exit code " + exitCode + "): " + printed);
        }
        LOG.debug("Formatted Kafka storage: {}", printed);
    }

    private static void awaitBrokerAnswers(String bootstrapServers, long startNanos) {
        long remainingMs = STARTUP_DEADLINE.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        if (remainingMs <= 0) {
            throw new IllegalStateException("broker did not start within " + STARTUP_DEADLINE.toSeconds() + " s");
        }
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) remainingMs))) {
            Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) remainingMs))
                    .nodes()
                    .get(remainingMs, TimeUnit.MILLISECONDS);
            if (nodes.isEmpty()) {
                throw new IllegalStateException("broker answered describeCluster with no nodes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker to answer", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("broker did not answer describeCluster within "
                    + STARTUP_DEADLINE.toSeconds() + " s", e);
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
