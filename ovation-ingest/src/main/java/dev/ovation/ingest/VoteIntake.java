package dev.ovation.ingest;

import dev.ovation.model.InvalidVoteException;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteFields;
import dev.ovation.model.VoteValidator;
import dev.ovation.model.contest.VoteAdmission;
import dev.ovation.model.contest.VoteRefusedException;

/** What every edge does with an incoming vote before publishing it: validate it, then ask its contest. */
final class VoteIntake {

    /** A vote ready to publish, with its contest's limit of votes per voter. */
    record Admitted(Vote vote, int votesPerVoter) {
    }

    private final VoteValidator validator;
    private final VoteAdmission admission;

    VoteIntake(VoteValidator validator, VoteAdmission admission) {
        this.validator = validator;
        this.admission = admission;
    }

    /**
     * @throws InvalidVoteException naming the bad field
     * @throws VoteRefusedException when the contest does not take the vote
     */
    Admitted accept(VoteFields fields) throws InvalidVoteException, VoteRefusedException {
        Vote vote = validator.validate(fields);
        return new Admitted(vote, admission.admit(vote).votesPerVoter());
    }
}
