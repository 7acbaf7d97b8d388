package dev.ovation.ingest;

import dev.ovation.model.InvalidVoteException;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteFields;
import dev.ovation.model.VoteValidator;
import dev.ovation.model.contest.Contest;
import dev.ovation.model.contest.VoteAdmission;
import dev.ovation.model.contest.VoteRefusedException;

/**
 * What every edge does with an incoming vote before publishing it: validate it, replace its voter
 * by the voter's pseudonym ({@link VoterPseudonyms}), ask its contest, then take it from the voter's
 * and the client address's rate limits.
 */
final class VoteIntake {

    /** A vote ready to publish, with its contest's limit of votes per voter. */
    record Admitted(Vote vote, int votesPerVoter) {
    }

    private final VoteValidator validator;
    private final VoteAdmission admission;
    private final VoteThrottle throttle;
    private final VoterPseudonyms voters;

    VoteIntake(VoteValidator validator, VoteAdmission admission, VoteThrottle throttle, VoterPseudonyms voters) {
        this.validator = validator;
        this.admission = admission;
        this.throttle = throttle;
        this.voters = voters;
    }

    /**
     * @throws InvalidVoteException naming the bad field
     * @param client the client's address ({@link dev.ovation.web.ClientAddresses}); null: unknown, not limited
     * @throws VoteRefusedException when the contest does not take the vote, or not this fast
     */
    Admitted accept(VoteFields fields, String client) throws InvalidVoteException, VoteRefusedException {
        Vote checked = validator.validate(fields);
        // from here on, the voter is its pseudonym: nothing stores or shows the number itself
        Vote vote = checked.voter().isEmpty() ? checked : new Vote(checked.id(), checked.contest(), checked.band(),
                checked.album(), checked.year(), checked.rank(), voters.of(checked.voter()));
        Contest contest = admission.admit(vote);
        throttle.take(contest, vote, client);
        return new Admitted(vote, contest.votesPerVoter());
    }
}
