package dev.ovation.model.contest;

import dev.ovation.model.Vote;
import java.time.Clock;
import java.util.List;

/**
 * Decides at the edge whether a contest takes a valid vote: the contest must exist, be open now,
 * and, when its catalog is closed, list the band (and the album, when the band lists albums).
 */
public final class VoteAdmission {

    private final ContestDirectory contests;
    private final Clock clock;

    public VoteAdmission(ContestDirectory contests, Clock clock) {
        this.contests = contests;
        this.clock = clock;
    }

    /**
     * Admits a vote.
     *
     * @return the contest, whose {@code votesPerVoter} travels with the vote
     * @throws VoteRefusedException saying why not
     */
    public Contest admit(Vote vote) throws VoteRefusedException {
        Contest contest = contests.find(vote.contest()).orElseThrow(() -> new VoteRefusedException(
                VoteRefusedException.Reason.UNKNOWN_CONTEST, "contest", "there is no contest '" + vote.contest() + "'"));
        String status = contest.statusAt(clock.instant());
        if (!status.equals("open")) {
            throw new VoteRefusedException(VoteRefusedException.Reason.CONTEST_CLOSED, "contest",
                    "contest '" + contest.id() + "' is " + status.replace('_', ' ') + (contest.opensAt() != null
                            && status.equals("not_yet_open") ? "; it opens at " + contest.opensAt() : ""));
        }
        if (contest.isOpenCatalog()) {
            return contest;
        }
        List<String> albums = contest.catalog().get(vote.band());
        if (albums == null) {
            throw new VoteRefusedException(VoteRefusedException.Reason.NOT_IN_CATALOG, "band",
                    "'" + vote.band() + "' is not a band of contest '" + contest.id() + "'; its bands are: "
                            + String.join(", ", contest.catalog().keySet()));
        }
        if (!albums.isEmpty() && !albums.contains(vote.album())) {
            throw new VoteRefusedException(VoteRefusedException.Reason.NOT_IN_CATALOG, "album",
                    "'" + vote.album() + "' is not an album of " + vote.band() + " in contest '" + contest.id()
                            + "'; its albums are: " + String.join(", ", albums));
        }
        return contest;
    }
}
