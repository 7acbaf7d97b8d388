package dev.ovation.ingest;

import dev.ovation.model.HealthCheck;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Kafka acknowledges votes, as the votes themselves tell: the readiness check {@code votes}
 * and the lines a person on call reads when votes fail and when they recover.
 *
 * <p>Votes are <em>failing</em> from a vote Kafka did not take while none was acknowledged in the last
 * {@value #QUIET_MILLIS} ms, until the next acknowledgement. A cluster description (the {@code kafka}
 * check) is answered by any live broker, so it says nothing of a partition without its in-sync
 * replicas; this check does, as soon as a vote meets it. While failing, {@code /health/ready} answers
 * 503 (a load balancer sends the votes to another ingest), for at most {@value #STALE_MILLIS} ms after
 * the last failure, so that an ingest nobody sends votes to comes back and is tried again.
 *
 * <p>At the default level: one warning when votes start failing, one every {@value #REPEAT_MILLIS} ms
 * while they fail (how many, and the latest cause), one line when they are acknowledged again.
 */
final class AckWatch {

    private static final Logger LOG = LoggerFactory.getLogger(AckWatch.class);
    static final long QUIET_MILLIS = 1_000;
    static final long STALE_MILLIS = 10_000;
    static final long REPEAT_MILLIS = 10_000;

    private final LongSupplier nanos;
    private long lastAck = Long.MIN_VALUE;
    private long lastFailure = Long.MIN_VALUE;
    private long failingSince = Long.MIN_VALUE;
    private long toldAt;
    private long failedSinceTold;
    private long failedInAll;
    private boolean failing;
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
        synchronized (this) {
            lastAck = now;
            if (!failing) {
                return;
            }
            failing = false;
        }
        LOG.info("Kafka acknowledges votes again, after {} ms in which {} votes were not stored (their clients were told"
                + " to retry with the same id)", millis(now - failingSince), failedInAll);
    }

    /** Kafka did not take a vote, for {@code error}. */
    void notStored(Throwable error) {
        long now = nanos.getAsLong();
        String told;
        long count;
        synchronized (this) {
            lastFailure = now;
            cause = error.toString();
            failedSinceTold++;
            if (!failing) {
                if (lastAck != Long.MIN_VALUE && now - lastAck < TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)) {
                    return;
                }
                failing = true;
                failingSince = now;
                failedInAll = 0;
            }
            failedInAll++;
            if (failedInAll > 1 && now - toldAt < TimeUnit.MILLISECONDS.toNanos(REPEAT_MILLIS)) {
                return;
            }
            told = failedInAll == 1 ? "start" : "still";
            count = failedSinceTold;
            toldAt = now;
            failedSinceTold = 0;
        }
        if (told.equals("start")) {
            LOG.warn("Kafka does not acknowledge votes ({}): answering 503 / UNAVAILABLE, retry with the same id;"
                    + " /health/ready says DOWN until a vote is acknowledged", cause);
        } else {
            LOG.warn("Kafka still does not acknowledge votes after {} ms: {} not stored since the last line, latest: {}",
                    millis(now - failingSince), count, cause);
        }
    }

    /** The readiness check {@code votes}: DOWN while votes fail. */
    HealthCheck check() {
        return HealthCheck.of("votes", () -> {
            long now = nanos.getAsLong();
            synchronized (this) {
                if (failing && now - lastFailure < TimeUnit.MILLISECONDS.toNanos(STALE_MILLIS)) {
                    throw new IllegalStateException("Kafka has not acknowledged a vote for " + millis(now - failingSince)
                            + " ms (" + failedInAll + " not stored, latest: " + cause + ")");
                }
            }
        });
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
