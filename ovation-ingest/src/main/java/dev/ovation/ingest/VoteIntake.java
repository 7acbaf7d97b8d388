package dev.ovation.ingest;

import dev.ovation.model.InvalidVoteException;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteFields;
import dev.ovation.model.VoteValidator;
import dev.ovation.model.contest.Contest;
import dev.ovation.model.contest.VoteAdmission;
import dev.ovation.model.contest.VoteRefusedException;

/**
 * What every edge does with an incoming vote before publishing it: validate it, ask its contest,
 * then take it from the voter's and the client address's rate limits.
 */
final class VoteIntake {

    /** A vote ready to publish, with its contest's limit of votes per voter. */
    record Admitted(Vote vote, int votesPerVoter) {
    }

    private final VoteValidator validator;
    private final VoteAdmission admission;
    private final VoteThrottle throttle;

    VoteIntake(VoteValidator validator, VoteAdmission admission, VoteThrottle throttle) {
        this.validator = validator;
        this.admission = admission;
        this.throttle = throttle;
    }

    /**
     * @throws InvalidVoteException naming the bad field
     * @param client the client's address ({@link ClientAddresses}); null: unknown, not limited
     * @throws VoteRefusedException when the contest does not take the vote, or not this fast
     */
    Admitted accept(VoteFields fields, String client) throws InvalidVoteException, VoteRefusedException {
        Vote vote = validator.validate(fields);
        Contest contest = admission.admit(vote);
        throttle.take(contest, vote, client);
        return new Admitted(vote, contest.votesPerVoter());
    }
}
