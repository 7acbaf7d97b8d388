package dev.ovation.results;

import dev.ovation.model.contest.Contest;
import dev.ovation.store.ContestTally;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A contest's results as the API answers them and the live stream pushes them: its status and
 * voting window now, the tallies, and what was not counted.
 *
 * <pre>{@code
 * {"contest":"default","title":"Default contest","status":"open","opensAt":null,"closesAt":null,
 *  "votesPerVoter":0,"total":650,"duplicates":0,"rejected":{},"deadLetters":0,
 *  "bands":[{"band":"Led Zeppelin","votes":290,"albums":[{"album":"Houses of the Holy","votes":120},...]},...],
 *  "asOf":"2026-11-27T00:57:28.613Z"}
 * }</pre>
 *
 * @param status      {@code open}, {@code closed} or {@code not_yet_open} at {@code asOf}
 * @param rejected    votes not counted, by reason ({@code voter_limit})
 * @param deadLetters records of the contest the counters set aside as no vote
 * @param bands       by votes descending, each with its albums by votes descending
 * @param asOf        when the tallies were read
 */
public record ContestResults(String contest, String title, String status, Instant opensAt, Instant closesAt,
                             int votesPerVoter, long total, long duplicates, Map<String, Long> rejected,
                             long deadLetters, List<ContestTally.BandTally> bands, Instant asOf) {

    static ContestResults of(Contest contest, ContestTally tally, long deadLetters, Instant now) {
        return new ContestResults(contest.id(), contest.title(), contest.statusAt(now), contest.opensAt(),
                contest.closesAt(), contest.votesPerVoter(), tally.total(), tally.duplicates(), tally.rejected(),
                deadLetters, tally.bands(), now);
    }

    /** True when both show the same: everything but {@code asOf}. */
    boolean sameAs(ContestResults other) {
        return other != null && equals(new ContestResults(other.contest, other.title, other.status, other.opensAt,
                other.closesAt, other.votesPerVoter, other.total, other.duplicates, other.rejected, other.deadLetters,
                other.bands, asOf));
    }
}
