package dev.ovation.store;

/**
 * What counting did with one vote.
 *
 * @param firstCount      true when the record is the one that decided this vote id (now or in a
 *                        replay); false for another record carrying an id already decided (a
 *                        client's duplicate, absorbed)
 * @param counted         true when the vote id counts in the tallies; false when it was rejected
 *                        over its voter's limit
 * @param countedAtMillis when the vote id was first decided
 */
public record CountOutcome(boolean firstCount, boolean counted, long countedAtMillis) {

    /** The reason logged for a vote over its voter's limit. */
    public static final String VOTER_LIMIT = "voter_limit";
}
