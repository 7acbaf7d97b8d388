package dev.ovation.model;

import java.util.Objects;

/**
 * One validated vote: what the counter adds to the tallies and appends to the log.
 *
 * <p>Build one with {@link VoteValidator}, which checks every field and fills in the id and the
 * contest; this record itself only rejects nulls.
 *
 * @param id      the idempotency key; the same id in the same contest counts once
 * @param contest the contest id
 * @param band    the band voted for
 * @param album   the album voted for
 * @param year    free text carried along (the seed sends "2024"); empty when absent
 * @param rank    free text carried along; empty when absent
 * @param voter   who voted; empty when absent
 */
public record Vote(String id, String contest, String band, String album, String year, String rank,
                   String voter) {

    /** The contest a vote goes to when it names none. */
    public static final String DEFAULT_CONTEST = "default";

    public Vote {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(contest, "contest");
        Objects.requireNonNull(band, "band");
        Objects.requireNonNull(album, "album");
        Objects.requireNonNull(year, "year");
        Objects.requireNonNull(rank, "rank");
        Objects.requireNonNull(voter, "voter");
    }

    /** The same vote cast by {@code voter} (the ingest puts the voter's pseudonym in its place). */
    public Vote withVoter(String voter) {
        return new Vote(id, contest, band, album, year, rank, voter);
    }

    /**
     * The Kafka record key. Votes of one voter share a partition (so one counter sees them in
     * order); anonymous votes spread by id.
     */
    public String partitionKey() {
        return contest + "/" + (voter.isEmpty() ? id : "voter:" + voter);
    }
}
