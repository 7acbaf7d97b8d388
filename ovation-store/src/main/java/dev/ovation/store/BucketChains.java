package dev.ovation.store;

import dev.ovation.store.LogBucket.ChainLink;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each contest's chain of buckets ends in each partition of one topic: what a new bucket
 * links to ({@code prev}) and counts on from ({@code counts}).
 *
 * <p>Read from {@code log_heads} and kept between appends as a cache only. It is trusted for a
 * partition only while the partition's stored position is the one it was last seen at: another
 * writer moving the position makes it reloaded. Buckets a crashed writer left past the position are
 * found by the insert's duplicate key and folded in, so a stale end is never linked to.
 */
final class BucketChains {

    private static final long NO_POSITION = -1;

    private final String topic;
    private final Map<Integer, Map<String, ChainLink>> ends = new HashMap<>();
    private final Set<String> loaded = new HashSet<>();
    private final Map<Integer, Long> seenAt = new HashMap<>();

    BucketChains(String topic) {
        this.topic = topic;
    }

    private BucketChains(BucketChains other) {
        this.topic = other.topic;
        other.ends.forEach((partition, links) -> ends.put(partition, new HashMap<>(links)));
    }

    /** True when this cache may be used for a batch of these partitions at these stored positions. */
    boolean validFor(String topic, Collection<Integer> partitions, Map<Integer, Long> stored) {
        if (!this.topic.equals(topic)) {
            return false;
        }
        for (int p : partitions) {
            Long seen = seenAt.get(p);
            if (seen == null || seen.longValue() != stored.getOrDefault(p, NO_POSITION)) {
                return false;
            }
        }
        return true;
    }

    /** Of {@code contests}, those whose heads were not read yet. */
    List<String> unloaded(Collection<String> contests) {
        return contests.stream().filter(c -> !loaded.contains(c)).distinct().toList();
    }

    /** Takes in a contest's heads as read (a contest without a head document has no chains yet). */
    void load(LogHeads heads) {
        loaded.add(heads.contest());
        heads.chains().forEach((key, link) -> {
            if (LogHeads.topicOf(key).equals(topic)) {
                extend(LogHeads.partitionOf(key), heads.contest(), link);
            }
        });
    }

    /** Records that the stored position of {@code partition} is now {@code position} (null: none). */
    void seenAt(int partition, Long position) {
        seenAt.put(partition, position == null ? NO_POSITION : position);
    }

    /** Per contest, where its chain ends in {@code partition}. */
    Map<String, ChainLink> endsIn(int partition) {
        return ends.getOrDefault(partition, Map.of());
    }

    /** Links a bucket written (or found written) into its contests' chains. */
    void fold(LogBucket bucket) {
        for (String contest : bucket.contests()) {
            extend(bucket.partition(), contest, bucket.link(contest));
        }
    }

    /** A copy of the chain ends, to link a run of new buckets to before they are written. */
    BucketChains draft() {
        return new BucketChains(this);
    }

    private void extend(int partition, String contest, ChainLink link) {
        ends.computeIfAbsent(partition, p -> new HashMap<>())
                .merge(contest, link, (a, b) -> a.first() >= b.first() ? a : b);
    }
}
