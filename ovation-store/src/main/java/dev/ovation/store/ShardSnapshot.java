package dev.ovation.store;

import java.util.List;
import java.util.Map;

/**
 * What one shard held for a contest at one moment (see {@link TallyLayout}): read atomically by
 * {@link RecountStore#snapshot}.
 *
 * @param shard      the shard
 * @param partitions the topic's partitions counted in the shard, ascending
 * @param positions  partition to its stored position, the next offset to apply (absent: none)
 * @param tally      the contest's tally fields in the shard (see {@link TallyFields})
 * @param seen       the entries of the contest's seen hash in the shard
 * @param voters     the entries of the contest's voters hash in the shard
 */
public record ShardSnapshot(int shard, List<Integer> partitions, Map<Integer, Long> positions, Map<String, Long> tally,
                            long seen, long voters) {

    public ShardSnapshot {
        partitions = List.copyOf(partitions);
        positions = Map.copyOf(positions);
        tally = Map.copyOf(tally);
    }
}
