package dev.ovation.infra;

import java.util.concurrent.atomic.AtomicBoolean;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MongoDB-wire server ({@code mongo-java-server}) keeping its data in memory.
 *
 * <p>In memory on purpose: the vote log is rebuilt from Kafka after a restart, so nothing here
 * needs to survive the process.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMongo.class);

    private final MongoServer server;
    private final String host;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedMongo(MongoServer server, String host, int port) {
        this.server = server;
        this.host = host;
        this.port = port;
    }

    /**
     * Starts a server listening on {@code host:port}.
     *
     * @throws InfrastructureStartException when the port is taken or the server cannot bind
     */
    public static EmbeddedMongo start(String host, int port) {
        LocalPorts.requireFree("MongoDB", host, port);
        MongoServer server = new MongoServer(new MemoryBackend());
        try {
            server.bind(host, port);
        } catch (RuntimeException e) {
            InfrastructureStartException failure =
                    new InfrastructureStartException("MongoDB", host, port, String.valueOf(e.getMessage()), e);
            try {
                server.shutdownNow();
            } catch (RuntimeException closeFailure) {
                failure.addSuppressed(closeFailure);
            }
            throw failure;
        }
        LOG.info("MongoDB-wire server ready on {}:{}", host, port);
        return new EmbeddedMongo(server, host, port);
    }

    /** {@code mongodb://host:port}. */
    public String uri() {
        return "mongodb://" + host + ":" + port;
    }

    /** Closes client connections and stops listening. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.shutdownNow();
            LOG.info("MongoDB-wire server on {}:{} stopped", host, port);
        }
    }
}
