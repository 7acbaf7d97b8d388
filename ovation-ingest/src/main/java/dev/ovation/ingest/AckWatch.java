package dev.ovation.ingest;

import dev.ovation.model.HealthCheck;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Kafka stores votes, as the votes themselves tell: the lines a person on call reads when
 * votes fail and when they are stored again, and the readiness check {@code votes}.
 *
 * <p>At the default level: a warning at the first vote Kafka did not store, then at most one every
 * {@value #REPEAT_MILLIS} ms while votes fail (how many, and the latest cause), and one line once votes
 * are acknowledged and none failed for {@value #RECOVERED_MILLIS} ms. A vote that fails on one partition
 * (its leader lost) while others are stored is logged the same way.
 *
 * <p>The check is DOWN while no vote is stored at all: a vote failed and none was acknowledged since
 * (nor in the {@value #QUIET_MILLIS} ms before it), for at most {@value #STALE_MILLIS} ms after the last
 * failure, so that an ingest nobody sends votes to comes back and is tried again. A cluster
 * description (the {@code kafka} check) is answered by any live broker, so it says nothing of a
 * partition without its in-sync replicas; this check does, as soon as votes meet it.
 */
final class AckWatch {

    private static final Logger LOG = LoggerFactory.getLogger(AckWatch.class);
    static final long QUIET_MILLIS = 1_000;
    static final long STALE_MILLIS = 10_000;
    static final long REPEAT_MILLIS = 10_000;
    static final long RECOVERED_MILLIS = 5_000;

    private final LongSupplier nanos;
    /** Written on every acknowledgement (Kafka's I/O thread), so kept to one volatile write. */
    private volatile long lastAck = Long.MIN_VALUE / 2;
    private volatile long lastFailure = Long.MIN_VALUE / 2;
    /** True from a failure until votes are stored again; guarded by {@code this}, read racily on acks. */
    private volatile boolean failing;
    private long failingSince;
    private long toldAt;
    private long failedSinceTold;
    private long failedInAll;
    private String cause = "";

    AckWatch() {
        this(System::nanoTime);
    }

    AckWatch(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** Kafka acknowledged a vote. */
    void acknowledged() {
        long now = nanos.getAsLong();
        lastAck = now;
        if (!failing || now - lastFailure < TimeUnit.MILLISECONDS.toNanos(RECOVERED_MILLIS)) {
            return;
        }
        long failed;
        long lasted;
        synchronized (this) {
            if (!failing) {
                return;
            }
            failing = false;
            failed = failedInAll;
            lasted = lastFailure - failingSince;
        }
        LOG.info("Kafka stores votes again: none failed in the last {} ms; {} were not stored over {} ms (their clients"
                + " were told to retry with the same id)", RECOVERED_MILLIS, failed, millis(lasted));
    }

    /** Kafka did not store a vote, for {@code error}. */
    void notStored(Throwable error) {
        long now = nanos.getAsLong();
        boolean first;
        long count;
        long since;
        String latest;
        synchronized (this) {
            lastFailure = now;
            cause = error.toString();
            first = !failing;
            if (first) {
                failing = true;
                failingSince = now;
                failedInAll = 0;
                failedSinceTold = 0;
            }
            failedInAll++;
            failedSinceTold++;
            if (!first && now - toldAt < TimeUnit.MILLISECONDS.toNanos(REPEAT_MILLIS)) {
                return;
            }
            count = failedSinceTold;
            since = now - failingSince;
            latest = cause;
            toldAt = now;
            failedSinceTold = 0;
        }
        if (first) {
            LOG.warn("Kafka did not store a vote ({}): its client got 503 / UNAVAILABLE and retries with the same id",
                    latest);
        } else {
            LOG.warn("Kafka still fails votes, {} ms after the first: {} not stored since the last line, latest: {}",
                    millis(since), count, latest);
        }
    }

    /** The readiness check {@code votes}: DOWN while no vote is stored at all. */
    HealthCheck check() {
        return HealthCheck.of("votes", () -> {
            long now = nanos.getAsLong();
            long ack = lastAck;
            long failure = lastFailure;
            if (failure > ack && now - ack > TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)
                    && now - failure < TimeUnit.MILLISECONDS.toNanos(STALE_MILLIS)) {
                String latest;
                synchronized (this) {
                    latest = cause;
                }
                throw new IllegalStateException("Kafka has stored no vote since one failed " + millis(now - failure)
                        + " ms ago: " + latest);
            }
        });
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
