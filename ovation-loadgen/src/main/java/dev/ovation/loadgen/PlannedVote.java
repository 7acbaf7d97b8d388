package dev.ovation.loadgen;

/**
 * A vote the load generator will send.
 *
 * @param id      the idempotency key the generator chose, or {@code null} for the seed's shapes,
 *                which carry none (the server makes one up)
 * @param contest the contest voted in
 * @param ballot  band, album, year and rank
 * @param voter   who votes, or empty
 * @param resend  true when this is a vote sent before, again with the same id (it must count once)
 */
record PlannedVote(String id, String contest, Ballot ballot, String voter, boolean resend) {

    /** This vote, marked as sent again. */
    PlannedVote asResend() {
        return new PlannedVote(id, contest, ballot, voter, true);
    }
}
