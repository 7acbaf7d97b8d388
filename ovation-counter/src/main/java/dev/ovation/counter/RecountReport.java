package dev.ovation.counter;

import dev.ovation.store.ShardSnapshot;
import dev.ovation.store.TallyFields;
import dev.ovation.store.TallyReplay;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * What a {@link Recount} found: the contest's tallies rebuilt from the votes topic, shard by shard,
 * beside what each shard of Redis held at its snapshot, summed into one line per tally field plus
 * the counts of ids seen and of voters. A line differs when any shard differs, even if the sums
 * agree. Hand it to {@link Recount#repair} to rewrite the shards that differ from the record.
 */
public final class RecountReport {

    private final String topic;
    private final String contest;
    private final SortedMap<Integer, ShardSnapshot> snapshots;
    private final SortedMap<Integer, TallyReplay> replays;
    private final Map<Integer, Long> recordsRead;
    private final List<RecountLine> lines;

    /**
     * @param snapshots   shard to what Redis held; every shard of the contest
     * @param replays     shard to the tallies rebuilt from the record; one per snapshot
     * @param recordsRead partition to the records read from it
     */
    RecountReport(String topic, String contest, Map<Integer, ShardSnapshot> snapshots,
                  Map<Integer, TallyReplay> replays, Map<Integer, Long> recordsRead) {
        if (!snapshots.keySet().equals(replays.keySet())) {
            throw new IllegalArgumentException("shards snapshot " + snapshots.keySet() + " but replayed "
                    + replays.keySet());
        }
        this.topic = topic;
        this.contest = contest;
        this.snapshots = new TreeMap<>(snapshots);
        this.replays = new TreeMap<>(replays);
        this.recordsRead = Map.copyOf(recordsRead);
        this.lines = List.copyOf(compare());
    }

    private List<RecountLine> compare() {
        Set<String> fields = new HashSet<>();
        fields.add(TallyFields.TOTAL);
        fields.add(TallyFields.DUPLICATES);
        snapshots.values().forEach(s -> fields.addAll(s.tally().keySet()));
        replays.values().forEach(r -> fields.addAll(r.tallyFields().keySet()));
        List<RecountLine> compared = new ArrayList<>(fields.size() + 2);
        fields.stream()
                .sorted(Comparator.comparing(TallyFields::sortKey))
                .forEach(field -> compared.add(line(field, r -> r.count(field), s -> s.tally().getOrDefault(field, 0L),
                        false)));
        compared.add(line(RecountLine.IDS_SEEN, r -> r.seen().size(), ShardSnapshot::seen, true));
        compared.add(line(RecountLine.VOTERS, r -> r.voters().size(), ShardSnapshot::voters, true));
        return compared;
    }

    /**
     * @param expires true for a hash that Redis drops after the retention: a shard where Redis has
     *                none of the record's entries is then expired, not different
     */
    private RecountLine line(String field, ToLongFunction<TallyReplay> inRecord, ToLongFunction<ShardSnapshot> inRedis,
                             boolean expires) {
        long recordSum = 0;
        long redisSum = 0;
        SortedMap<Integer, Long> differences = new TreeMap<>();
        SortedMap<Integer, Long> expired = new TreeMap<>();
        for (int shard : snapshots.keySet()) {
            long record = inRecord.applyAsLong(replays.get(shard));
            long redis = inRedis.applyAsLong(snapshots.get(shard));
            recordSum += record;
            redisSum += redis;
            if (expires && redis == 0 && record > 0) {
                expired.put(shard, record);
            } else if (redis != record) {
                differences.put(shard, redis - record);
            }
        }
        return new RecountLine(field, recordSum, redisSum, differences, expired);
    }

    /** The contest recounted. */
    public String contest() {
        return contest;
    }

    /** The votes topic read. */
    public String topic() {
        return topic;
    }

    /**
     * Partition to the next offset the counters had applied at its shard's snapshot (absent:
     * none). Shards are read one after another, so the positions of two shards may be of
     * different moments.
     */
    public Map<Integer, Long> positions() {
        Map<Integer, Long> positions = new TreeMap<>();
        snapshots.values().forEach(s -> positions.putAll(s.positions()));
        return positions;
    }

    /** Partition to the records read from it: those below its snapshot position. */
    public Map<Integer, Long> recordsRead() {
        return recordsRead;
    }

    /**
     * Every line, record beside Redis: total, duplicates, each band followed by its albums, each
     * rejection reason, then the counts of ids seen and of voters.
     */
    public List<RecountLine> lines() {
        return lines;
    }

    /** The lines where Redis and the record disagree in some shard, in the order of {@link #lines()}. */
    public List<RecountLine> differences() {
        return lines.stream().filter(RecountLine::differs).toList();
    }

    /** True when any line differs. */
    public boolean differs() {
        return lines.stream().anyMatch(RecountLine::differs);
    }

    /**
     * The lines of ids seen and voters where some shard's hash has expired from Redis entirely
     * while the record has entries for it: the retention passed, which is no wrong count.
     */
    public List<RecountLine> expirations() {
        return lines.stream().filter(line -> !line.expired().isEmpty()).toList();
    }

    /** Votes counted, as the record says. */
    public long total() {
        return replays.values().stream().mapToLong(TallyReplay::total).sum();
    }

    /** Records skipped because they were not votes. */
    public long undecodable() {
        return replays.values().stream().mapToLong(TallyReplay::undecodable).sum();
    }

    /** The shards where some line differs: those a repair rewrites. */
    SortedSet<Integer> shardsThatDiffer() {
        SortedSet<Integer> shards = new TreeSet<>();
        lines.forEach(line -> shards.addAll(line.shardDifferences().keySet()));
        return shards;
    }

    ShardSnapshot snapshot(int shard) {
        return snapshots.get(shard);
    }

    TallyReplay replay(int shard) {
        return replays.get(shard);
    }
}
