package dev.ovation.infra;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MongoDB-wire server ({@code mongo-java-server}), keeping its data either in memory or in one
 * H2 MVStore file.
 *
 * <p>The standalone uses the file ({@link #start(String, int, Path)}), so the vote log survives a
 * restart and is not replayed from Kafka. Its page cache is bounded ({@link #CACHE_MB}); the changes
 * made since the last commit are kept on the heap and written every second, between two write
 * commands ({@link PrefixCommittingH2Backend}). A crash loses at most that last second, always as a
 * prefix of the acknowledged writes, which the vote log's positions detect and the counter replays.
 * {@link #close()} writes everything.
 *
 * <p>In memory ({@link #start(String, int)}) is for tests that want a fresh server: everything is
 * kept on the heap and forgotten at close.
 */
public final class EmbeddedMongo implements AutoCloseable {

    /** MVStore's page cache, in MB: H2's default, the only heap the file store keeps for reads. */
    public static final int CACHE_MB = 16;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMongo.class);

    private final MongoWireServer server;
    private final String host;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedMongo(MongoWireServer server, String host, int port) {
        this.server = server;
        this.host = host;
        this.port = port;
    }

    /**
     * Starts a server keeping its data in memory, listening on {@code host:port}.
     *
     * @throws InfrastructureStartException when the port is taken or the server cannot bind
     */
    public static EmbeddedMongo start(String host, int port) {
        LocalPorts.requireFree("MongoDB", host, port);
        EmbeddedMongo mongo = bind(new MemoryBackend(), host, port);
        LOG.info("MongoDB-wire server ready on {}:{}, in memory", host, port);
        return mongo;
    }

    /**
     * Starts a server keeping its data in {@code file} (an H2 MVStore file, created with its
     * directories when missing), listening on {@code host:port}.
     *
     * @throws InfrastructureStartException when the port is taken, the server cannot bind, or the
     *                                      file cannot be opened (another process holds it, it is
     *                                      not an MVStore file)
     */
    public static EmbeddedMongo start(String host, int port, Path file) {
        LocalPorts.requireFree("MongoDB", host, port);
        MVStore store;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            store = PrefixCommittingH2Backend.storeBuilder(file.toString(), CACHE_MB).open();
        } catch (IOException | RuntimeException e) {
            throw new InfrastructureStartException("MongoDB", host, port,
                    "cannot open its data file " + file + ": " + e.getMessage(), e);
        }
        EmbeddedMongo mongo = bind(new PrefixCommittingH2Backend(store), host, port);
        LOG.info("MongoDB-wire server ready on {}:{}, data in {}", host, port, file);
        return mongo;
    }

    private static EmbeddedMongo bind(MongoBackend backend, String host, int port) {
        MongoWireServer server = new MongoWireServer(backend);
        try {
            server.bind(host, port);
        } catch (RuntimeException e) {
            InfrastructureStartException failure =
                    new InfrastructureStartException("MongoDB", host, port, String.valueOf(e.getMessage()), e);
            try {
                server.close();
            } catch (RuntimeException closeFailure) {
                failure.addSuppressed(closeFailure);
            }
            throw failure;
        }
        return new EmbeddedMongo(server, host, port);
    }

    /** {@code mongodb://host:port}. */
    public String uri() {
        return "mongodb://" + host + ":" + port;
    }

    /**
     * Closes client connections, stops listening and closes the backend (for a file: writes what
     * is not yet written and releases the file). Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.close();
            LOG.info("MongoDB-wire server on {}:{} stopped", host, port);
        }
    }
}
