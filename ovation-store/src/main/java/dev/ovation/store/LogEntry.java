package dev.ovation.store;

import java.time.Instant;

/**
 * One entry of the vote log: the whole vote, how it came, when it was received and counted (or
 * rejected, and why), and where in the topic it was read.
 */
public record LogEntry(String id, String contest, String band, String album, String year, String rank,
                       String voter, String protocol, Instant receivedAt, Instant countedAt, String status,
                       String reason, int partition, long offset) {

    /** The entry of a vote as counting decided it: {@code counted}, or {@code rejected} with its reason. */
    public static LogEntry of(QueuedVote q, CountOutcome outcome) {
        var v = q.envelope().vote();
        return new LogEntry(v.id(), v.contest(), v.band(), v.album(), v.year(), v.rank(), v.voter(),
                q.envelope().protocol(), Instant.ofEpochMilli(q.envelope().receivedAtMillis()),
                Instant.ofEpochMilli(outcome.countedAtMillis()), outcome.counted() ? "counted" : "rejected",
                outcome.counted() ? null : CountOutcome.VOTER_LIMIT, q.partition(), q.offset());
    }
}
