package dev.ovation.model.contest;

import dev.ovation.model.InvalidVoteException;
import dev.ovation.model.VoteValidator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks a contest definition before it is stored, naming the field at fault. */
public final class ContestRules {

    private static final Set<String> STATES = Set.of(Contest.SCHEDULED, Contest.OPEN, Contest.CLOSED);

    private ContestRules() {
    }

    /**
     * Validates a definition.
     *
     * @throws InvalidVoteException naming the field at fault (the type is shared with votes so
     *                              the edges answer both alike)
     */
    public static Contest validate(Contest contest) throws InvalidVoteException {
        if (!VoteValidator.isContestId(contest.id())) {
            throw new InvalidVoteException("id", "id must be 1 to 64 characters of a-z, 0-9, '_' or '-',"
                    + " starting with a letter or digit");
        }
        if (contest.id().equals(Contest.WARMUP_ID)) {
            throw new InvalidVoteException("id", "id '" + Contest.WARMUP_ID + "' is reserved for the votes Ovation"
                    + " sends itself to warm up; choose another");
        }
        if (contest.title().length() > 200) {
            throw new InvalidVoteException("title", "title is at most 200 characters");
        }
        if (!STATES.contains(contest.state())) {
            throw new InvalidVoteException("state", "state must be scheduled, open or closed, not '"
                    + contest.state() + "'");
        }
        if (contest.votesPerVoter() < 0) {
            throw new InvalidVoteException("votesPerVoter", "votesPerVoter must be 0 (no limit) or more");
        }
        checkRate("limits.perVoter", contest.limits().perVoter());
        checkRate("limits.perAddress", contest.limits().perAddress());
        Instant opens = contest.opensAt();
        Instant closes = contest.closesAt();
        if (opens != null && closes != null && !opens.isBefore(closes)) {
            throw new InvalidVoteException("closesAt", "closesAt must be after opensAt");
        }
        for (Map.Entry<String, List<String>> band : contest.catalog().entrySet()) {
            if (band.getKey().isBlank() || band.getKey().length() > 200 || !band.getKey().equals(band.getKey().strip())) {
                throw new InvalidVoteException("catalog", "band names must be 1 to 200 characters without"
                        + " leading or trailing spaces: '" + band.getKey() + "'");
            }
            for (String album : band.getValue()) {
                if (album == null || album.isBlank() || album.length() > 200 || !album.equals(album.strip())) {
                    throw new InvalidVoteException("catalog", "album names of " + band.getKey()
                            + " must be 1 to 200 characters without leading or trailing spaces: '" + album + "'");
                }
            }
        }
        return contest;
    }

    private static void checkRate(String field, RateLimits.Rate rate) throws InvalidVoteException {
        if (rate.perMinute() < 0 || rate.perMinute() > 60_000_000) {
            throw new InvalidVoteException(field, field + ".perMinute must be 0 (no limit) to 60000000");
        }
        if (rate.isLimited() && (rate.burst() < 1 || rate.burst() > 10_000_000)) {
            throw new InvalidVoteException(field, field + ".burst must be 1 to 10000000 when perMinute is set");
        }
    }
}
