package dev.ovation.store;

/**
 * A store's topic position is not where this counter expected it: the store lost recent writes
 * (a crash before they were synced to disk, an in-memory log restarted) or another counter took
 * the partition over. The counter resumes from the stored positions.
 */
public final class PositionsChangedException extends RuntimeException {

    public PositionsChangedException(String message) {
        super(message);
    }
}
