package dev.ovation.infra;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

/**
 * A real Redis server, run as a child process, persisting to an append-only file
 * ({@code appendonly yes}, {@code appendfsync everysec}) in its data directory.
 *
 * <p>The binary is the one shipped in {@code com.github.codemonstur:embedded-redis} (Redis 6.2),
 * or the {@code redis-server} named by the environment variable {@value #REDIS_SERVER_ENV}.
 * The server's own log goes to {@code redis.log} in the data directory.
 *
 * <p>Lifecycle: {@link #stop()} and {@link #start()} restart the same server on the same data;
 * {@link #close()} is {@link #stop()}. Stopping sends SIGTERM, on which Redis does what
 * {@code SHUTDOWN} does: it fsyncs the append-only file and exits. No JVM shutdown hook is
 * registered: the owner's single shutdown hook closes everything in order. If the JVM is killed
 * without closing, the server keeps running as an orphan; the next {@link #start()} on the same
 * data directory finds it through its pid file, stops it (flushing its data) and starts afresh.
 */
public final class EmbeddedRedis implements AutoCloseable {

    /** Names a {@code redis-server} binary to use instead of the bundled one. */
    public static final String REDIS_SERVER_ENV = "OVATION_REDIS_SERVER";

    /**
     * The command line; under {@code setsid} where the machine has it, so that a Ctrl-C meant for
     * Ovation does not reach Redis before Ovation has closed its connections.
     */
    private List<String> command() {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.add(executable.toString());
        command.add(configFile().toString());
        return command;
    }

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final Duration STARTUP_DEADLINE = Duration.ofSeconds(30);
    private static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private final Path dataDir;
    private final String host;
    private final int port;
    private final Path executable;
    private final List<String> extraDirectives;
    private final String password;
    private Process process;

    /**
     * A stopped server; call {@link #start()} to run it.
     *
     * @param dataDir the directory for the append-only file, config, pid file and log; created when missing
     * @param host the address to bind
     * @param port the port to listen on
     * @param executable the {@code redis-server} binary
     */
    public EmbeddedRedis(Path dataDir, String host, int port, Path executable) {
        this(dataDir, host, port, executable, List.of(), null);
    }

    /**
     * A stopped server whose config file ends with {@code extraDirectives}, one directive per
     * element (for example {@code "cluster-enabled yes"}); public for the test kit's Redis Cluster
     * ({@code dev.ovation.testkit.EmbeddedRedisCluster}), whose masters are servers like this one.
     */
    public EmbeddedRedis(Path dataDir, String host, int port, Path executable, List<String> extraDirectives) {
        this(dataDir, host, port, executable, extraDirectives, null);
    }

    /** @param password what clients must {@code AUTH} with ({@code requirepass}); null: none */
    EmbeddedRedis(Path dataDir, String host, int port, Path executable, List<String> extraDirectives,
                  String password) {
        this.dataDir = dataDir.toAbsolutePath();
        this.host = host;
        this.port = port;
        this.executable = executable;
        this.extraDirectives = List.copyOf(extraDirectives);
        this.password = password;
    }

    /**
     * Starts a server with the binary chosen by {@link #executableFrom(Map)} from this process's
     * environment, and returns once it answers {@code PING}.
     *
     * @throws InfrastructureStartException when the port is taken or Redis does not answer within 30 s
     */
    public static EmbeddedRedis start(Path dataDir, String host, int port) {
        return start(dataDir, host, port, null);
    }

    /**
     * Starts a server that requires {@code password} ({@code requirepass}; null: none).
     *
     * @throws InfrastructureStartException when the port is taken or Redis does not answer within 30 s
     */
    public static EmbeddedRedis start(Path dataDir, String host, int port, String password) {
        Path executable;
        try {
            executable = executableFrom(System.getenv());
        } catch (IOException | RuntimeException e) {
            throw new InfrastructureStartException("Redis", host, port, "no redis-server binary: " + e.getMessage(), e);
        }
        EmbeddedRedis redis = new EmbeddedRedis(dataDir, host, port, executable, List.of(), password);
        redis.start();
        return redis;
    }

    /**
     * The binary named by {@value #REDIS_SERVER_ENV} in {@code environment} when set, else the one
     * bundled for this OS and architecture, extracted to a temporary directory deleted on JVM exit.
     */
    public static Path executableFrom(Map<String, String> environment) throws IOException {
        String configured = environment.get(REDIS_SERVER_ENV);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new IOException(REDIS_SERVER_ENV + "=" + configured + " is not an executable file");
            }
            return path;
        }
        return ExecutableProvider.newJarResourceProvider().get().toPath();
    }

    /**
     * Starts the server, unless it runs already, and returns once it answers {@code PING}. Data in
     * the append-only file from an earlier run is loaded first. A server that exited on its own is
     * started again.
     *
     * @throws InfrastructureStartException when the port is taken or Redis does not answer within 30 s
     */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        if (process != null) {
            LOG.warn("Redis on {}:{} had exited on its own (exit code {}); starting it again; see {}",
                    host, port, process.exitValue(), logFile());
            process = null;
        }
        long startNanos = System.nanoTime();
        Process started;
        try {
            Files.createDirectories(dataDir);
            OrphanedProcess.stopIfOrphaned(pidFile(), "redis-server", SHUTDOWN_DEADLINE);
            LocalPorts.requireFree("Redis", host, port);
            // the config may hold the password: readable by this user only
            Files.deleteIfExists(configFile());
            Files.createFile(configFile(), OwnerOnly.FILE);
            Files.writeString(configFile(), config(), StandardCharsets.UTF_8);
            started = new ProcessBuilder(command())
                    .directory(dataDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (InfrastructureStartException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InfrastructureStartException("Redis", host, port, String.valueOf(e.getMessage()), e);
        }
        try {
            awaitPong(started, startNanos);
        } catch (RuntimeException e) {
            InfrastructureStartException failure = e instanceof InfrastructureStartException known
                    ? known
                    : new InfrastructureStartException("Redis", host, port, String.valueOf(e.getMessage()), e);
            started.destroyForcibly();
            throw failure;
        }
        process = started;
        LOG.info("Redis ready on {}:{} in {} ms (pid {}, data in {})", host, port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), started.pid(), dataDir);
        started.onExit().thenRunAsync(() -> restartIfDied(started));
    }

    /**
     * Brings the server back when it died without being asked to ({@link #stop}, {@link #kill}): the
     * kernel's OOM killer, a crash, a {@code kill -9} from outside. It starts again from its
     * append-only file, which may lack the last second of writes; the counters notice the positions
     * that went back and count those votes again from the topic. Tried again every second until it
     * answers or the server is stopped.
     */
    private void restartIfDied(Process died) {
        while (true) {
            synchronized (this) {
                if (process != died) {
                    return;
                }
                try {
                    start();
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("could not start Redis on {}:{} again, trying again in 1 s: {}", host, port, e.getMessage());
                    process = died;
                }
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Kills the server with SIGKILL, as a crash would: writes of the last second may be missing
     * from the AOF ({@code appendfsync everysec}). For fault tests.
     */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        Process killed = process;
        process = null;
        killed.destroyForcibly();
        try {
            killed.waitFor(SHUTDOWN_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while killing Redis on " + host + ":" + port, e);
        }
        LOG.info("Redis on {}:{} killed", host, port);
    }

    /**
     * Stops the server gracefully (SIGTERM: fsync the append-only file, exit) and waits for it to
     * exit. Does nothing when it is not running.
     *
     * @throws IllegalStateException when Redis does not exit within 30 s (it is then killed), or
     *     when interrupted while waiting (the interrupt flag is kept; Redis finishes its shutdown alone)
     */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Process stopping = process;
        process = null;
        stopping.destroy();
        try {
            if (!stopping.waitFor(SHUTDOWN_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                stopping.destroyForcibly();
                throw new IllegalStateException("Redis on " + host + ":" + port + " did not stop within "
                        + SHUTDOWN_DEADLINE.toSeconds() + " s and was killed; see " + logFile());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Redis on " + host + ":" + port + " to stop", e);
        }
        LOG.info("Redis on {}:{} stopped (exit code {})", host, port, stopping.exitValue());
    }

    /** Whether the server process is running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** {@code redis://host:port}, or {@code redis://:password@host:port} when a password is required. */
    public String uri() {
        return password == null ? "redis://" + host + ":" + port : "redis://:" + password + "@" + host + ":" + port;
    }

    /** {@link #uri()} without the password, to show or log. */
    public String shownUri() {
        return password == null ? uri() : "redis://:<password>@" + host + ":" + port;
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private void awaitPong(Process started, long startNanos) {
        long deadline = startNanos + STARTUP_DEADLINE.toNanos();
        while (!RedisPing.answers(host, port, password)) {
            if (!started.isAlive()) {
                throw new IllegalStateException("redis-server exited with code " + started.exitValue()
                        + "; last log lines: " + logTail());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no PONG within " + STARTUP_DEADLINE.toSeconds()
                        + " s; last log lines: " + logTail());
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for PONG", e);
            }
        }
    }

    private String config() {
        List<String> directives = new ArrayList<>(List.of(
                "bind " + host,
                "port " + port,
                "dir " + quoted(dataDir),
                "pidfile " + quoted(pidFile()),
                "daemonize no",
                "appendonly yes",
                "appendfsync everysec",
                "appendfilename \"appendonly.aof\"",
                "save \"\""));
        if (password != null) {
            directives.add("requirepass " + password);
        }
        directives.addAll(extraDirectives);
        directives.add("");
        return String.join("\n", directives);
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            // reported inside the startup failure's message rather than replacing that failure
            return "(cannot read " + logFile() + ": " + e + ")";
        }
    }

    /** {@code path} as a double-quoted config-file argument, for a directive of {@code extraDirectives}. */
    public static String quoted(Path path) {
        return "\"" + path.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private Path configFile() {
        return dataDir.resolve("redis.conf");
    }

    private Path pidFile() {
        return dataDir.resolve("redis.pid");
    }

    private Path logFile() {
        return dataDir.resolve("redis.log");
    }

    @Override
    public String toString() {
        return "EmbeddedRedis[" + shownUri() + ", data in " + dataDir + "]";
    }
}
