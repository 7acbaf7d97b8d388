package dev.ovation.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The closed model, for comparison: a fixed number of users, each sending its next request (one
 * vote, or a batch) as soon as the previous one is answered. Latency counts from the actual send,
 * so a slow server lowers the rate instead of raising the latency — the coordinated omission the
 * open model avoids. Runs on the calling thread; answers wake it through a queue of ready users.
 */
final class ClosedModelDriver {

    private final VoteTarget target;
    private final VotePlanner planner;
    private final RunStats stats;
    private final RecordSizes recordSizes;
    private final int batchSize;
    private final NanoClock clock;

    ClosedModelDriver(VoteTarget target, VotePlanner planner, RunStats stats, RecordSizes recordSizes, int batchSize,
                      NanoClock clock) {
        this.target = target;
        this.planner = planner;
        this.stats = stats;
        this.recordSizes = recordSizes;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    /**
     * Keeps {@code users} requests going until {@code endNanos}.
     *
     * @param measureFromNanos requests sent before this are the warm-up
     */
    void run(int users, long measureFromNanos, long endNanos) throws InterruptedException {
        BlockingQueue<Integer> ready = new LinkedBlockingQueue<>();
        for (int u = 0; u < users; u++) {
            ready.add(u);
        }
        while (true) {
            long left = endNanos - clock.nanoTime();
            Integer user = left > 0 ? ready.poll(left, TimeUnit.NANOSECONDS) : null;
            long now = clock.nanoTime();
            if (user == null || now >= endNanos) {
                return;
            }
            Shipment shipment = new Shipment(batchSize, () -> ready.add(user));
            List<Send> sends = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                if (!stats.inFlightPermits().tryAcquire()) {
                    throw new IllegalStateException("closed model: more votes in flight than users x batch size");
                }
                Send send = new Send(planner.next(), now, now >= measureFromNanos, shipment);
                stats.sending(send);
                recordSizes.sample(send.vote());
                sends.add(send);
            }
            target.send(sends);
        }
    }
}
