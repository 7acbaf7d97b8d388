package dev.ovation.ingest;

import dev.ovation.model.Vote;
import java.util.function.BiConsumer;

/**
 * What an edge does with one vote's outcome, on its own wire. {@link VoteIntake} calls exactly one
 * of its methods, once: at once when the vote is refused before publishing, or from Kafka's
 * acknowledgement, on the producer's I/O thread. So neither may block: they start an asynchronous
 * write (a gRPC observer's, Jetty's {@code Response.write}) and return.
 *
 * <p>It is itself the completion action of the publisher's future ({@link #accept}), so that a vote
 * costs one object for its answer and no adapter between Kafka and the edge.
 */
interface VoteAnswer extends BiConsumer<Vote, Throwable> {

    /** Kafka acknowledged the vote: {@code receipt} is the vote as published (its id, contest, band, album). */
    void accepted(Vote receipt);

    /** The vote got no receipt; nothing was published unless it is {@link VoteRefusal.Kind#UNAVAILABLE}. */
    void refused(VoteRefusal refusal);

    /** The publisher's future completed: acknowledged, or not stored. */
    @Override
    default void accept(Vote stored, Throwable error) {
        if (error == null) {
            accepted(stored);
        } else {
            refused(VoteRefusal.notStored(error));
        }
    }
}
