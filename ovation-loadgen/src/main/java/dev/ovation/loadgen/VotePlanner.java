package dev.ovation.loadgen;

import java.util.SplittableRandom;

/**
 * Turns ballots into votes to send: gives each a unique id (the run id plus a sequence number, so
 * the generator knows exactly which ids were acknowledged), the contest and, with {@code voters > 0},
 * one of that many voters; and with probability {@code duplicates} sends an acknowledged vote again
 * instead. Used by the one sending thread only.
 */
final class VotePlanner {

    private final BallotSource ballots;
    private final String runId;
    private final String contest;
    private final boolean ids;
    private final int voters;
    private final double duplicates;
    private final ResendPool acknowledged;
    private final SplittableRandom random;
    private long sequence;

    /**
     * @param ids        false for the seed's shapes, which carry no id and go to the default contest
     * @param voters     how many distinct voters to spread the votes over; 0 for anonymous votes
     * @param duplicates the fraction (0 to 1) of sends that repeat an acknowledged vote
     */
    VotePlanner(BallotSource ballots, String runId, String contest, boolean ids, int voters, double duplicates,
                ResendPool acknowledged, SplittableRandom random) {
        if (!ids && duplicates > 0) {
            throw new IllegalArgumentException("duplicates need votes with ids; the seed's shapes have none");
        }
        this.ballots = ballots;
        this.runId = runId;
        this.contest = contest;
        this.ids = ids;
        this.voters = voters;
        this.duplicates = duplicates;
        this.acknowledged = acknowledged;
        this.random = random;
    }

    PlannedVote next() {
        if (duplicates > 0 && random.nextDouble() < duplicates) {
            PlannedVote again = acknowledged.pick(random);
            if (again != null) {
                return again.asResend();
            }
        }
        String id = ids ? runId + "." + sequence++ : null;
        String voter = voters > 0 ? "voter-" + random.nextInt(voters) : "";
        return new PlannedVote(id, contest, ballots.next(), voter, false);
    }
}
