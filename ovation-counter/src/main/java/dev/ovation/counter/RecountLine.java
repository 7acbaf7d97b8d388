package dev.ovation.counter;

import dev.ovation.store.TallyFields;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One line of a recount: a tally field (see {@link TallyFields}), or a count of ids seen or of
 * voters, as the record of the votes says and as Redis holds it, summed over the shards of the
 * contest, with the shards where the two disagree.
 *
 * @param field            the tally field, or {@link #IDS_SEEN} or {@link #VOTERS}
 * @param inRecord         the value rebuilt from the topic
 * @param inRedis          the value Redis holds (0 when absent)
 * @param shardDifferences shard to {@code inRedis - inRecord} in that shard, for every shard where
 *                         they disagree, except the shards of {@code expired}
 * @param expired          for {@link #IDS_SEEN} and {@link #VOTERS} only: shard to the entries of
 *                         the record, for every shard whose hash Redis no longer holds at all
 *                         (it expired after the retention); not a difference
 */
public record RecountLine(String field, long inRecord, long inRedis, SortedMap<Integer, Long> shardDifferences,
                          SortedMap<Integer, Long> expired) {

    /** The line of the vote ids decided: entries of the contest's seen hashes. */
    public static final String IDS_SEEN = "ids seen";
    /** The line of the voters with counted votes: entries of the contest's voters hashes. */
    public static final String VOTERS = "voters";

    public RecountLine {
        shardDifferences = immutableCopy(shardDifferences);
        expired = immutableCopy(expired);
    }

    /** A line whose shards all agree. */
    public static RecountLine agreeing(String field, long value) {
        return new RecountLine(field, value, value, new TreeMap<>(), new TreeMap<>());
    }

    /** {@code inRedis - inRecord}: positive when Redis holds more than the record says. */
    public long difference() {
        return inRedis - inRecord;
    }

    /**
     * True when Redis and the record disagree in some shard (even if the sums agree), other than
     * by an expired hash.
     */
    public boolean differs() {
        return !shardDifferences.isEmpty();
    }

    /** The line for a reader, e.g. {@code band Queen} or {@code album Queen / Jazz}. */
    public String label() {
        return field.equals(IDS_SEEN) || field.equals(VOTERS) ? field : TallyFields.label(field);
    }

    private static SortedMap<Integer, Long> immutableCopy(Map<Integer, Long> map) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }
}
