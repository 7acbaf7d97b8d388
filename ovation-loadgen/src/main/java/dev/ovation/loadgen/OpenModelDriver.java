package dev.ovation.loadgen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends votes at the times an {@link OpenModelSchedule} gives, whatever the server answers: each
 * vote takes an in-flight permit and its latency counts from its scheduled time, so when the server
 * (or {@code --max-in-flight}) holds the generator back, the delay shows in the latencies instead of
 * silently lowering the rate. Batches (http-batch) leave when full or {@code batchLinger} after
 * their first vote was due. Runs on the calling thread.
 */
final class OpenModelDriver {

    /** How far past the end the generator may still be working off a backlog of due votes. */
    static final long LATE_CUTOFF_NANOS = 100_000_000;

    private final VoteTarget target;
    private final VotePlanner planner;
    private final RunStats stats;
    private final RecordSizes recordSizes;
    private final int batchSize;
    private final long lingerNanos;
    private final NanoClock clock;

    OpenModelDriver(VoteTarget target, VotePlanner planner, RunStats stats, RecordSizes recordSizes, int batchSize,
                    Duration batchLinger, NanoClock clock) {
        this.target = target;
        this.planner = planner;
        this.stats = stats;
        this.recordSizes = recordSizes;
        this.batchSize = batchSize;
        this.lingerNanos = batchLinger.toNanos();
        this.clock = clock;
    }

    /**
     * Sends the schedule's votes until its end.
     *
     * @param measureFromNanos votes due before this are the warm-up
     * @param endNanos         the end of the schedule: no vote is sent after it
     * @return how many scheduled votes were not sent: held back past the end by the in-flight limit,
     *         or left over when the generator itself fell more than {@link #LATE_CUTOFF_NANOS} behind
     */
    long run(OpenModelSchedule schedule, long measureFromNanos, long endNanos) throws InterruptedException {
        Semaphore permits = stats.inFlightPermits();
        List<Send> batch = new ArrayList<>(batchSize);
        long i = 0;
        while (schedule.includes(i)) {
            long intended = schedule.intendedNanos(i);
            if (!batch.isEmpty() && batch.get(0).intendedNanos() + lingerNanos < intended) {
                clock.waitUntil(batch.get(0).intendedNanos() + lingerNanos);
                batch = flush(batch);
                continue;
            }
            clock.waitUntil(intended);
            if (clock.nanoTime() > endNanos + LATE_CUTOFF_NANOS) {
                break;
            }
            if (!permits.tryAcquire()) {
                batch = flush(batch);
                long left = endNanos - clock.nanoTime();
                if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    break;
                }
            }
            batch.add(new Send(planner.next(), intended, intended >= measureFromNanos, Shipment.UNWATCHED));
            i++;
            if (batch.size() == batchSize) {
                batch = flush(batch);
            }
        }
        flush(batch);
        return schedule.totalVotes() - i;
    }

    private List<Send> flush(List<Send> batch) {
        if (batch.isEmpty()) {
            return batch;
        }
        for (Send s : batch) {
            stats.sending(s);
            recordSizes.sample(s.vote());
        }
        target.send(batch);
        return new ArrayList<>(batchSize);
    }
}
