package dev.ovation.store;

import dev.ovation.model.Vote;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The one owner of the Redis layout of the tallies and of the counting script's arguments and
 * answers ({@code count-votes.lua}, next to this class). Every reader and writer goes through here.
 *
 * <p>The tallies are split into {@value #SHARDS} shards. Topic partition {@code p} is counted in
 * shard {@code p mod SHARDS}, and every key of a shard carries the hash tag {@code {s<n>}}, so one
 * call of the script touches one Redis Cluster hash slot; the shards spread over the masters.
 * Keys of shard {@code n}:
 * <ul>
 *   <li>{@code ovation:{s<n>}:pos:<topic>/<p>}: the next offset of partition {@code p} to apply;</li>
 *   <li>{@code ovation:{s<n>}:tally:<contest>}: hash of {@code total}, {@code duplicates},
 *       {@code b<US>band}, {@code a<US>band<US>album}, {@code r<US>reason} (see {@link TallyFields});</li>
 *   <li>{@code ovation:{s<n>}:voters:<contest>}: hash of voter to votes counted;</li>
 *   <li>{@code ovation:{s<n>}:seen:<contest>}: hash of vote id to {@code c<offset>} (counted) or
 *       {@code r<offset>} (rejected): which record of the partition decided the id.</li>
 * </ul>
 * A contest's tallies are the sum of its shards. A vote id and all votes of one voter travel on one
 * partition (the record key holds the voter, or the id of an anonymous vote), hence in one shard,
 * so deduplication and voter limits are decided within a shard.
 *
 * <p>The voters and seen hashes expire after the retention (default 24 hours) with no vote of their
 * contest in their shard; the tallies never expire. See {@code count-votes.lua} for the arguments.
 * The recount's scripts ({@code recount-snapshot.lua}, {@code recount-replace.lua}, run by
 * {@link RecountStore}) read and rewrite the same keys, one shard at a time.
 */
public final class TallyLayout {

    /** Shards of the tallies: the most Redis Cluster masters that share the counting. */
    public static final int SHARDS = 16;

    private static final String PREFIX = "ovation:";
    /** Appended to a live key to name the key a recount's repair writes before renaming it over the live one. */
    private static final String REPAIR_SUFFIX = ":recount";

    private TallyLayout() {
    }

    /** The shard that counts a partition. */
    public static int shardOf(int partition) {
        return Math.floorMod(partition, SHARDS);
    }

    /**
     * The partitions of a topic grouped by the shard that counts them: every shard, ascending, each
     * with its partitions ascending (none for a shard the topic has no partition for).
     */
    public static SortedMap<Integer, List<Integer>> partitionsByShard(Collection<Integer> partitions) {
        SortedMap<Integer, List<Integer>> byShard = new TreeMap<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            byShard.put(shard, new ArrayList<>());
        }
        partitions.stream().sorted().forEach(p -> byShard.get(shardOf(p)).add(p));
        byShard.replaceAll((shard, inShard) -> List.copyOf(inShard));
        return byShard;
    }

    /**
     * The hash tag every key of a shard carries: Redis Cluster hashes only it, so all of a shard's
     * keys live in one slot, which is the slot of the tag itself.
     */
    public static String hashTag(int shard) {
        return "{s" + shard + "}";
    }

    /** The position key of a partition. */
    public static String positionKey(String topic, int partition) {
        return PREFIX + hashTag(shardOf(partition)) + ":pos:" + topic + "/" + partition;
    }

    /** The tally hash of a contest in a shard. */
    public static String tallyKey(int shard, String contest) {
        return PREFIX + hashTag(shard) + ":tally:" + contest;
    }

    /**
     * The dashboard hash of a contest's votes per band ({@code field: band}), kept by the results
     * role for Grafana's Redis panels, which cannot sum the shards; never read by Ovation itself.
     */
    public static String boardBandsKey(String contest) {
        return "ovation:board:" + contest + ":bands";
    }

    /** The dashboard hash of a contest's votes per album ({@code field: "band / album"}). */
    public static String boardAlbumsKey(String contest) {
        return "ovation:board:" + contest + ":albums";
    }

    /** The voters hash of a contest in a shard. */
    public static String votersKey(int shard, String contest) {
        return PREFIX + hashTag(shard) + ":voters:" + contest;
    }

    /** The seen hash of a contest in a shard. */
    public static String seenKey(int shard, String contest) {
        return PREFIX + hashTag(shard) + ":seen:" + contest;
    }

    /**
     * The key a recount's repair writes a live tally, seen or voters hash into before one script
     * renames it over {@code liveKey}: in the same shard, hence the same slot. Contest ids hold no
     * {@code ':'}, so no live key is named so.
     */
    public static String repairKey(String liveKey) {
        return liveKey + REPAIR_SUFFIX;
    }

    /** The seen value of an id decided by the record at {@code offset}. */
    public static String seenValue(boolean counted, long offset) {
        return (counted ? "c" : "r") + offset;
    }

    /** Parses a seen value, failing on anything the script does not write. */
    public static SeenValue parseSeen(String value) {
        if (value == null || value.length() < 2 || (value.charAt(0) != 'c' && value.charAt(0) != 'r')) {
            throw new IllegalStateException("unexpected seen value: " + value);
        }
        return new SeenValue(value.charAt(0) == 'c', Long.parseLong(value.substring(1)));
    }

    /** A decoded seen value: whether the id counted, and the offset of the record that decided it. */
    public record SeenValue(boolean counted, long offset) {
    }

    /** The keys and arguments of one call of the counting script: one partition's part of a batch. */
    public record ScriptCall(String[] keys, String[] args) {
    }

    /**
     * The call counting one partition's votes.
     *
     * @param votes       the partition's votes of the batch, in offset order
     * @param expected    the position the caller last read or wrote, or null when none was stored
     * @param reached     the next offset after the batch
     * @param retentionMs how long voters and seen hashes live after their last write (0: forever)
     */
    public static ScriptCall countCall(String topic, int partition, List<QueuedVote> votes, Long expected,
                                       long reached, long retentionMs) {
        int shard = shardOf(partition);
        Map<String, Integer> groups = new LinkedHashMap<>();
        Map<List<Object>, Integer> quads = new LinkedHashMap<>();
        List<String> voteArgs = new ArrayList<>(votes.size() * 4);
        for (QueuedVote q : votes) {
            Vote v = q.envelope().vote();
            int group = groups.computeIfAbsent(v.contest(), c -> groups.size() + 1);
            int quad = quads.computeIfAbsent(List.of(group, v.band(), v.album(), q.envelope().votesPerVoter()),
                    k -> quads.size() + 1);
            voteArgs.add(v.id());
            voteArgs.add(v.voter());
            voteArgs.add(Integer.toString(quad));
            voteArgs.add(Long.toString(q.offset()));
        }
        String[] keys = new String[1 + groups.size() * 3];
        keys[0] = positionKey(topic, partition);
        int k = 1;
        for (String contest : groups.keySet()) {
            keys[k++] = tallyKey(shard, contest);
            keys[k++] = votersKey(shard, contest);
            keys[k++] = seenKey(shard, contest);
        }
        List<String> args = new ArrayList<>(5 + quads.size() * 4 + voteArgs.size());
        args.add(expected == null ? "" : expected.toString());
        args.add(Long.toString(reached));
        args.add(Long.toString(retentionMs));
        args.add(Integer.toString(groups.size()));
        args.add(Integer.toString(quads.size()));
        for (List<Object> quad : quads.keySet()) {
            args.add(quad.get(0).toString());
            args.add((String) quad.get(1));
            args.add((String) quad.get(2));
            args.add(quad.get(3).toString());
        }
        args.addAll(voteArgs);
        return new ScriptCall(keys, args.toArray(String[]::new));
    }

    /**
     * Reads the script's answer: one character per vote.
     *
     * @throws IllegalStateException when the answer does not have one known character per vote
     */
    public static List<CountOutcome> parseAnswer(String answer, int votes, long countedAtMillis) {
        if (answer == null || answer.length() != votes) {
            throw new IllegalStateException("the counting script answered " + (answer == null ? "nothing"
                    : answer.length() + " outcomes") + " for " + votes + " votes");
        }
        List<CountOutcome> outcomes = new ArrayList<>(votes);
        for (int i = 0; i < votes; i++) {
            outcomes.add(switch (answer.charAt(i)) {
                case 'c', 'C' -> new CountOutcome(true, true, countedAtMillis);
                case 'r', 'R' -> new CountOutcome(true, false, countedAtMillis);
                case 'd', 'D' -> new CountOutcome(false, false, countedAtMillis);
                default -> throw new IllegalStateException("unexpected outcome '" + answer.charAt(i)
                        + "' from the counting script");
            });
        }
        return outcomes;
    }
}
