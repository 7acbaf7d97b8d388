package dev.ovation.store;

import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * One contest's tallies in one shard (see {@link TallyLayout}) rebuilt from the records of the
 * votes topic by the rules of {@code count-votes.lua}, next to it, holding what Redis holds for
 * the contest in that shard: the tally fields (see {@link TallyFields}), each voter's counted
 * votes and each vote id's decision. The recount replays a night's record in memory with it,
 * rather than through the script: it reads 10 million votes in about 30 s and writes nothing to
 * Redis unless told to repair, where the script would need a second copy of every seen id in
 * Redis to replay into. {@code TallyReplayIT} feeds the same random votes through both, against a
 * real Redis, and requires identical tallies, seen ids, voters and outcomes. A change to the rules
 * changes both, in this package.
 *
 * <p>Per record: a record at an offset below one already applied in its partition is a replay
 * and changes nothing; an id already decided is a duplicate (adds to {@code duplicates} only); a
 * vote whose voter already has the record's {@code votesPerVoter} counted votes (when both are
 * set) is rejected ({@code r<US>voter_limit}); any other vote is counted (total, band, album and
 * its voter). Votes of other contests change nothing; records that are not votes to count (the
 * caller decides which, as the counters do before they set them aside) are {@link #skip}ped.
 *
 * <p>Feed it the partitions of one shard, one after another, each in offset order: the counters
 * decide ids and voter limits within a shard, as here. The live counters interleave those
 * partitions, so the two orders agree only because a vote id, and every vote of one voter, always
 * travel on one partition (the record key holds the voter, or the id of an anonymous vote). A vote
 * id sent on two partitions of one shard, which a well-behaved client cannot do, could be counted
 * from the other record here than it was live (another band, or another voter's limit).
 *
 * <p>Retention is not replayed: an id or voter the counters forgot after the retention is still
 * known here.
 *
 * <p>Not thread-safe; pure computation, no I/O.
 */
public final class TallyReplay {

    /** What applying one record did. */
    public enum Outcome {
        /** Counted in the tallies. */
        COUNTED,
        /** An id already decided: adds to {@code duplicates} only. */
        DUPLICATE,
        /** Over its voter's limit: adds to {@code r<US>voter_limit} only. */
        REJECTED_VOTER_LIMIT,
        /** At an offset already applied in its partition: changes nothing. */
        ALREADY_APPLIED,
        /** A vote of another contest: changes nothing here. */
        OTHER_CONTEST,
        /** Not a vote to count (undecodable, or breaking the vote rules): skipped, as the counters set it aside. */
        UNDECODABLE
    }

    /**
     * How a vote id was decided, and by which record.
     *
     * @param counted   true when it counts in the tallies, false when it was rejected
     * @param partition the partition of the deciding record
     * @param offset    its offset
     */
    public record Decision(boolean counted, int partition, long offset) {

        /** The value of this id in the seen hash of its shard, as {@link TallyLayout#seenValue} writes it. */
        public String seenValue() {
            return TallyLayout.seenValue(counted, offset);
        }
    }

    private final String contest;
    private final Map<Integer, Long> nextOffsets = new HashMap<>();
    private final Map<String, Long> tally = new HashMap<>();
    private final Map<String, Long> voters = new HashMap<>();
    private final Map<String, Decision> seen = new HashMap<>();
    private long undecodable;

    /** An empty replay of {@code contest}. */
    public TallyReplay(String contest) {
        this.contest = contest;
    }

    /**
     * Passes over a record that is not a vote to count (undecodable, or breaking the vote rules),
     * as the counters set it aside: it changes no tally, and is counted apart.
     */
    public Outcome skip(int partition, long offset) {
        if (markApplied(partition, offset)) {
            undecodable++;
            return Outcome.UNDECODABLE;
        }
        return Outcome.ALREADY_APPLIED;
    }

    /** Applies one record that is a vote to count. */
    public Outcome apply(VoteEnvelope envelope, int partition, long offset) {
        if (!markApplied(partition, offset)) {
            return Outcome.ALREADY_APPLIED;
        }
        Vote vote = envelope.vote();
        if (!vote.contest().equals(contest)) {
            return Outcome.OTHER_CONTEST;
        }
        if (seen.containsKey(vote.id())) {
            add(tally, TallyFields.DUPLICATES);
            return Outcome.DUPLICATE;
        }
        int limit = envelope.votesPerVoter();
        if (!vote.voter().isEmpty() && limit > 0 && voters.getOrDefault(vote.voter(), 0L) >= limit) {
            seen.put(vote.id(), new Decision(false, partition, offset));
            add(tally, TallyFields.rejected(CountOutcome.VOTER_LIMIT));
            return Outcome.REJECTED_VOTER_LIMIT;
        }
        seen.put(vote.id(), new Decision(true, partition, offset));
        add(tally, TallyFields.TOTAL);
        add(tally, TallyFields.band(vote.band()));
        add(tally, TallyFields.album(vote.band(), vote.album()));
        if (!vote.voter().isEmpty()) {
            add(voters, vote.voter());
        }
        return Outcome.COUNTED;
    }

    /** False when the offset was applied already in this partition. */
    private boolean markApplied(int partition, long offset) {
        long next = nextOffsets.getOrDefault(partition, 0L);
        if (offset < next) {
            return false;
        }
        nextOffsets.put(partition, offset + 1);
        return true;
    }

    private static void add(Map<String, Long> counts, String key) {
        counts.merge(key, 1L, Long::sum);
    }

    /** The contest replayed. */
    public String contest() {
        return contest;
    }

    /** Votes counted. */
    public long total() {
        return tally.getOrDefault(TallyFields.TOTAL, 0L);
    }

    /** Records that carried an id already decided. */
    public long duplicates() {
        return tally.getOrDefault(TallyFields.DUPLICATES, 0L);
    }

    /** The value of one tally field (0 when absent), e.g. {@code count(TallyFields.band("Queen"))}. */
    public long count(String field) {
        return tally.getOrDefault(field, 0L);
    }

    /** The tally hash as the counters would hold it: field to count (read-only view). */
    public Map<String, Long> tallyFields() {
        return Collections.unmodifiableMap(tally);
    }

    /** Each voter's counted votes (read-only view). */
    public Map<String, Long> voters() {
        return Collections.unmodifiableMap(voters);
    }

    /** Each vote id's decision (read-only view). */
    public Map<String, Decision> seen() {
        return Collections.unmodifiableMap(seen);
    }

    /** Records skipped because they were not votes to count (the dead letters). */
    public long undecodable() {
        return undecodable;
    }
}
