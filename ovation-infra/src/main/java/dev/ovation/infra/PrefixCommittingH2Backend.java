package dev.ovation.infra;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The H2 backend of {@code mongo-java-server}, committing its MVStore only between write commands,
 * so that a crash keeps a prefix of the acknowledged writes.
 *
 * <p>MVStore's own background commit takes each map's state in turn while writes go on, so a
 * version written to the file can hold a later write to one collection without an earlier write to
 * another (the vote log's position without the bucket it points past: found by killing the server
 * under load). Here the store is opened with its automatic commit off, every write command holds a
 * shared lock, and a commit every {@link #COMMIT_EVERY_MS} ms holds it exclusively: each version on
 * disk is the state after a set of whole commands, which includes every write acknowledged before
 * any of them began. Reads take no lock. A crash (SIGKILL) loses at most the writes of the last
 * second, never one out of order; a power cut can lose more, since MVStore does not sync each commit.
 *
 * <p>The price: write commands wait while a commit writes the file, 5-150 ms a second during a
 * burst of 80,000 votes/s on two cores (docs/reliability.md).
 *
 * <p>Documents are stored as BSON ({@link BsonH2Database}), not with H2's Java serialization.
 */
final class PrefixCommittingH2Backend extends H2Backend {

    /** How often the store is committed to its file, in ms: MVStore's own default delay. */
    static final long COMMIT_EVERY_MS = 1_000;

    /** A commit this slow (writes wait for it) is logged as a warning: the disk or the CPU is short. */
    private static final long SLOW_COMMIT_MS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(PrefixCommittingH2Backend.class);

    /** Commands that read only: everything else is taken as a write. Lower case. */
    private static final Set<String> READS = Set.of("find", "getmore", "aggregate", "count", "distinct",
            "listcollections", "listindexes", "listdatabases", "hello", "ismaster", "ping", "buildinfo",
            "serverstatus", "dbstats", "collstats", "getlasterror", "killcursors", "endsessions",
            "whatsmyuri", "getparameter", "getcmdlineopts", "hostinfo", "saslstart", "saslcontinue",
            "connectionstatus", "getlog", "currentop");

    private final MVStore store;
    private final ReadWriteLock commits = new ReentrantReadWriteLock();
    private final ScheduledExecutorService committer;

    PrefixCommittingH2Backend(MVStore store) {
        super(store);
        this.store = store;
        this.committer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "mongo-commit");
            thread.setDaemon(true);
            return thread;
        });
        committer.scheduleWithFixedDelay(this::commitQuietly, COMMIT_EVERY_MS, COMMIT_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens {@code file} with automatic commits off, as this backend needs it: no background commit,
     * and none from a writer's thread either, which MVStore otherwise makes once the unsaved changes
     * pass its buffer size (19 MB by default; {@code autoCommitDisabled} alone leaves that on).
     */
    static MVStore.Builder storeBuilder(String file, int cacheMb) {
        return new MVStore.Builder().fileName(file).cacheSize(cacheMb).compress().autoCommitDisabled()
                .autoCommitBufferSize(0);
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new BsonH2Database(databaseName, getMvStore(), getCursorRegistry());
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        if (READS.contains(command.toLowerCase(Locale.ROOT))) {
            return super.handleCommand(channel, database, command, query);
        }
        commits.readLock().lock();
        try {
            return super.handleCommand(channel, database, command, query);
        } finally {
            commits.readLock().unlock();
        }
    }

    @Override
    public void dropDatabase(String database) {
        commits.readLock().lock();
        try {
            super.dropDatabase(database);
        } finally {
            commits.readLock().unlock();
        }
    }

    /** Writes the changes made since the last commit, between two write commands. */
    @Override
    public void commit() {
        commits.writeLock().lock();
        try {
            if (!store.isClosed() && store.hasUnsavedChanges()) {
                long start = System.nanoTime();
                store.commit();
                long ms = (System.nanoTime() - start) / 1_000_000;
                if (ms >= SLOW_COMMIT_MS) {
                    LOG.warn("MongoDB-wire server: writing its data file took {} ms, and writes waited for it", ms);
                } else {
                    LOG.debug("MongoDB-wire server: data file written in {} ms", ms);
                }
            }
        } finally {
            commits.writeLock().unlock();
        }
    }

    /**
     * Stops the periodic commit, letting one under way finish (interrupted, its write would close
     * the file's channel, and the store could then write nothing more), then closes the store, which
     * writes what is left.
     */
    @Override
    public void close() {
        committer.shutdown();
        try {
            committer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        commits.writeLock().lock();
        try {
            super.close();
        } finally {
            commits.writeLock().unlock();
        }
    }

    private void commitQuietly() {
        try {
            commit();
        } catch (RuntimeException e) {
            LOG.warn("MongoDB-wire server: could not write its data file; trying again in {} ms: {}",
                    COMMIT_EVERY_MS, e.toString());
        }
    }
}
