package dev.ovation.loadgen;

import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;

/**
 * The size of the Kafka records the sent votes become ({@code ovation.v1.VoteEvent}), averaged over
 * the first votes of a run: the record size {@code bench/run.sh} gives Kafka's own producer
 * benchmark. Votes without an id get one as long as the server's (a UUID). Sending thread only.
 */
final class RecordSizes {

    private static final int SAMPLES = 1_000;
    private static final String SERVER_ID = "00000000-0000-0000-0000-000000000000";

    private final String protocol;
    private long bytes;
    private int votes;

    RecordSizes(String protocol) {
        this.protocol = protocol;
    }

    void sample(PlannedVote v) {
        if (votes >= SAMPLES) {
            return;
        }
        Vote vote = new Vote(v.id() == null ? SERVER_ID : v.id(), v.contest(), v.ballot().band(), v.ballot().album(),
                v.ballot().year(), v.ballot().rank(), v.voter());
        bytes += new VoteEnvelope(vote, protocol, System.currentTimeMillis(), 0).encode().length;
        votes++;
    }

    /** The mean record value size in bytes, or 0 before any vote. */
    double meanBytes() {
        return votes == 0 ? 0 : (double) bytes / votes;
    }
}
