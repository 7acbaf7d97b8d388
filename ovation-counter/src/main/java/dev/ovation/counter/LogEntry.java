package dev.ovation.counter;

import java.time.Instant;

/**
 * One entry of the vote log: the whole vote, how it came, when it was received and counted, and
 * where in the topic it was read.
 */
public record LogEntry(String id, String contest, String band, String album, String year, String rank,
                       String voter, String protocol, Instant receivedAt, Instant countedAt, String status,
                       int partition, long offset) {

    /** The entry of a vote that counted. */
    static LogEntry counted(QueuedVote q, long countedAtMillis) {
        var v = q.envelope().vote();
        return new LogEntry(v.id(), v.contest(), v.band(), v.album(), v.year(), v.rank(), v.voter(),
                q.envelope().protocol(), Instant.ofEpochMilli(q.envelope().receivedAtMillis()),
                Instant.ofEpochMilli(countedAtMillis), "counted", q.partition(), q.offset());
    }
}
