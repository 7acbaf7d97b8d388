package dev.ovation.counter;

/**
 * A repair was refused because the counters applied more records (or Redis lost some) since the
 * recount's snapshot: the recount no longer describes what Redis holds. Nothing was written.
 */
public final class RecountStaleException extends RuntimeException {

    public RecountStaleException(String message) {
        super(message);
    }
}
