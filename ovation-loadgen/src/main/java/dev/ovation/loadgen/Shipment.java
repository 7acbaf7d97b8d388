package dev.ovation.loadgen;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The votes that travel in one request (one, or a batch): runs {@code whenAnswered} once the last
 * of them is answered. The closed model uses it to let a user send its next request.
 */
final class Shipment {

    /** A shipment nobody waits for (the open model). */
    static final Shipment UNWATCHED = new Shipment(0, null);

    private final AtomicInteger unanswered;
    private final Runnable whenAnswered;

    Shipment(int votes, Runnable whenAnswered) {
        this.unanswered = new AtomicInteger(votes);
        this.whenAnswered = whenAnswered;
    }

    void answeredOne() {
        if (whenAnswered != null && unanswered.decrementAndGet() == 0) {
            whenAnswered.run();
        }
    }
}
