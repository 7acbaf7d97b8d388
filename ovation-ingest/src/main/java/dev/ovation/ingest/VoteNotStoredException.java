package dev.ovation.ingest;

/**
 * Kafka did not acknowledge a vote in time, so it was not stored and must not be reported as
 * accepted. The client may retry with the same id: a vote stored twice counts once.
 */
public final class VoteNotStoredException extends RuntimeException {

    public VoteNotStoredException(String message, Throwable cause) {
        super(message, cause);
    }
}
