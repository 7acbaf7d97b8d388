package dev.ovation.loadgen;

import java.util.SplittableRandom;

/**
 * The most recently acknowledged votes, from which {@code --duplicates} picks the ones to send
 * again. Only acknowledged votes are resent, so each acknowledged resend is exactly one duplicate
 * the system must absorb. Filled from the clients' I/O threads, read by the sending thread.
 */
final class ResendPool {

    private final PlannedVote[] ring;
    private long added;

    ResendPool(int capacity) {
        this.ring = new PlannedVote[capacity];
    }

    /** Remembers an acknowledged vote (an original, not a resend). */
    synchronized void add(PlannedVote vote) {
        ring[(int) (added % ring.length)] = vote;
        added++;
    }

    /** One of the remembered votes, or {@code null} when none was acknowledged yet. */
    synchronized PlannedVote pick(SplittableRandom random) {
        if (added == 0) {
            return null;
        }
        return ring[random.nextInt((int) Math.min(added, ring.length))];
    }
}
