package dev.ovation.counter;

/**
 * A repair was refused, in one shard or more, because the counters applied more records there
 * (or Redis lost some) since the recount's snapshot of that shard: the recount no longer describes
 * what the shard holds. Nothing was written in those shards; the message names them, and the
 * shards that were repaired.
 */
public final class RecountStaleException extends RuntimeException {

    public RecountStaleException(String message) {
        super(message);
    }
}
