package dev.ovation.ingest;

/**
 * Kafka did not acknowledge a vote in time, so it must not be reported as accepted. It may or may
 * not have been stored (a timeout cannot tell); the client retries with the same id, and a vote
 * stored twice counts once.
 */
public final class VoteNotStoredException extends RuntimeException {

    public VoteNotStoredException(String message, Throwable cause) {
        super(message, cause);
    }
}
