package dev.ovation.loadgen;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What happened to the votes of a run: sends, acknowledgements, errors by kind, latencies. The
 * clients report each answer here from their I/O threads; it releases the vote's in-flight permit,
 * remembers acknowledged votes for resending, and tells the vote's shipment.
 *
 * <p>After {@link #stopCounting()}, late answers are ignored, so the counts the verification uses
 * do not move under it: a vote still unanswered then stays unanswered.
 */
final class RunStats implements AnswerListener {

    private final LongAdder sent = new LongAdder();
    private final LongAdder sentResends = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder acknowledgedResends = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final LatencyBook latencies = new LatencyBook();
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final ResendPool acknowledgedVotes;
    private final LongSupplier nanoClock;
    private volatile boolean counting = true;

    RunStats(int maxInFlight, ResendPool acknowledgedVotes, LongSupplier nanoClock) {
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        this.acknowledgedVotes = acknowledgedVotes;
        this.nanoClock = nanoClock;
    }

    /** The permits of votes in flight: the sender takes one per vote, an answer gives it back. */
    Semaphore inFlightPermits() {
        return inFlight;
    }

    /** Counts a vote that is about to be sent. */
    void sending(Send send) {
        sent.increment();
        if (send.vote().resend()) {
            sentResends.increment();
        }
    }

    @Override
    public void acknowledged(Send send) {
        if (!counting) {
            return;
        }
        latencies.record((nanoClock.getAsLong() - send.intendedNanos()) / 1_000, send.measured());
        acknowledged.increment();
        if (send.vote().resend()) {
            acknowledgedResends.increment();
        } else if (send.vote().id() != null) {
            acknowledgedVotes.add(send.vote());
        }
        answered(send);
    }

    @Override
    public void failed(Send send, String kind) {
        if (!counting) {
            return;
        }
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
        failed.increment();
        answered(send);
    }

    /** Counts a vote the generator could not send at all (its kind says why). */
    void notSent(String kind, long votes) {
        if (votes > 0) {
            errors.computeIfAbsent(kind, k -> new LongAdder()).add(votes);
        }
    }

    private void answered(Send send) {
        inFlight.release();
        send.shipment().answeredOne();
    }

    /** From now on answers are ignored. */
    void stopCounting() {
        counting = false;
    }

    LatencyBook latencies() {
        return latencies;
    }

    /** The counts so far. */
    Counts counts() {
        Map<String, Long> byKind = new TreeMap<>();
        errors.forEach((kind, n) -> byKind.put(kind, n.sum()));
        long ack = acknowledged.sum();
        long fail = failed.sum();
        long s = sent.sum();
        return new Counts(s, sentResends.sum(), ack, acknowledgedResends.sum(), fail, Math.max(0, s - ack - fail),
                byKind, maxInFlight - inFlight.availablePermits());
    }

    /**
     * Counts at one moment.
     *
     * @param sent                 votes sent (resends included)
     * @param sentResends          of which resends of an acknowledged vote
     * @param acknowledged         votes acknowledged (resends included)
     * @param acknowledgedResends  of which resends
     * @param failed               votes answered with an error
     * @param unanswered           votes sent and not answered (yet)
     * @param errors               errors by kind, including votes not sent at all
     * @param inFlight             votes holding an in-flight permit
     */
    record Counts(long sent, long sentResends, long acknowledged, long acknowledgedResends, long failed,
                  long unanswered, Map<String, Long> errors, long inFlight) {

        /** Distinct acknowledged votes: each must be counted exactly once. */
        long acknowledgedOriginals() {
            return acknowledged - acknowledgedResends;
        }

        long errorTotal() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
