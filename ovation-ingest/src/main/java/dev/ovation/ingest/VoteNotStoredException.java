package dev.ovation.ingest;

import dev.ovation.model.Vote;

/**
 * Kafka did not acknowledge a vote in time, so it must not be reported as accepted. It may or may
 * not have been stored (a timeout cannot tell); the client retries with the same id, and a vote
 * stored twice counts once.
 */
public final class VoteNotStoredException extends RuntimeException {

    private final transient Vote vote;

    public VoteNotStoredException(Vote vote, String message, Throwable cause) {
        super(message, cause);
        this.vote = vote;
    }

    /** The vote that was not stored: its id is the one the client retries with. */
    public Vote vote() {
        return vote;
    }
}
