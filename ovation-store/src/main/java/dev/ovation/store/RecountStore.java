package dev.ovation.store;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recount's reads and writes of a contest's tallies in Redis, one shard at a time, each
 * atomic within its shard through a script whose keys all carry the shard's hash tag; so they work
 * on a single Redis and on a Redis Cluster alike. Owns the scripts {@code recount-snapshot.lua}
 * and {@code recount-replace.lua} (next to this class), their arguments and answers; the keys,
 * and the temporary keys a repair writes, are {@link TallyLayout}'s. What a shard should hold comes
 * from a {@link TallyReplay}: the recount itself (reading the topic, comparing, reporting) is the
 * counter's.
 *
 * <pre>{@code
 * RecountStore store = new RecountStore(redis, "votes", Duration.ofHours(24));
 * ShardSnapshot snapshot = store.snapshot("default", 1, List.of(1, 17));
 * // ... replay partitions 1 and 17 up to snapshot.positions() into a TallyReplay, then
 * store.replace("default", snapshot, replay);
 * }</pre>
 */
public final class RecountStore {

    /** Entries written per HSET into a temporary hash. */
    private static final int CHUNK = 1_000;
    /**
     * How long a temporary hash outlives its last chunk: a repair that dies half-way leaves no
     * lasting garbage, and the replacing script refuses a hash that expired meanwhile.
     */
    private static final Duration TEMPORARY_LIFETIME = Duration.ofHours(1);
    private static final LuaScript SNAPSHOT_SCRIPT = LuaScript.load("recount-snapshot.lua");
    private static final LuaScript REPLACE_SCRIPT = LuaScript.load("recount-replace.lua");

    private final RedisClusterCommands<String, String> redis;
    private final String topic;
    private final long retentionMillis;

    /**
     * @param redis     the Redis, or Redis Cluster, of the tallies
     * @param topic     the votes topic, whose partitions' positions the shards hold
     * @param retention how long the counters keep a contest's seen and voters hashes after its last
     *                  vote in a shard (zero: forever); a repair sets the same
     */
    public RecountStore(RedisLink redis, String topic, Duration retention) {
        this.redis = redis.sync();
        this.topic = topic;
        this.retentionMillis = retention.toMillis();
    }

    /**
     * Reads, atomically, the positions of a shard's partitions and the contest's tally and sizes of
     * its seen and voters hashes in the shard.
     *
     * @param partitions the topic's partitions counted in {@code shard}
     * @throws IllegalStateException when Redis holds something the counters do not write
     */
    public ShardSnapshot snapshot(String contest, int shard, List<Integer> partitions) {
        List<String> keys = new ArrayList<>(3 + partitions.size());
        keys.add(TallyLayout.tallyKey(shard, contest));
        keys.add(TallyLayout.seenKey(shard, contest));
        keys.add(TallyLayout.votersKey(shard, contest));
        partitions.forEach(p -> keys.add(TallyLayout.positionKey(topic, p)));
        List<Object> answer = redis.eval(SNAPSHOT_SCRIPT.source(), ScriptOutputType.MULTI, keys.toArray(String[]::new));
        if (answer == null || answer.size() != 3 + partitions.size()) {
            throw new IllegalStateException("the snapshot script answered " + answer + " for shard " + shard);
        }
        Map<String, Long> tally = new HashMap<>();
        List<?> flat = (List<?>) answer.get(0);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            String field = (String) flat.get(i);
            tally.put(field, number((String) flat.get(i + 1), "the tally field '" + field + "' of " + keys.get(0)));
        }
        Map<Integer, Long> positions = new HashMap<>();
        for (int i = 0; i < partitions.size(); i++) {
            String position = (String) answer.get(3 + i);
            if (!position.isEmpty()) {
                positions.put(partitions.get(i), number(position, keys.get(3 + i)));
            }
        }
        return new ShardSnapshot(shard, partitions, positions, tally, (Long) answer.get(1), (Long) answer.get(2));
    }

    /**
     * Replaces the contest's tally, seen and voters hashes of the snapshot's shard by the replay's,
     * provided no position of the shard moved since the snapshot: the replay is written into
     * temporary keys of the shard, then one script checks the positions and renames them over the
     * live keys (deleting a live key the replay has no entries for). Positions are left as they
     * are, so the counters resume where they were.
     *
     * @throws PositionsChangedException when a position of the shard moved since the snapshot (the
     *                                   counters applied more records there, or Redis lost some);
     *                                   nothing of the shard changed, and the message names the shard
     *                                   and the position
     */
    public void replace(String contest, ShardSnapshot snapshot, TallyReplay replay) {
        int shard = snapshot.shard();
        String[] live = {TallyLayout.tallyKey(shard, contest), TallyLayout.seenKey(shard, contest),
            TallyLayout.votersKey(shard, contest)};
        String[] temporary = new String[live.length];
        for (int i = 0; i < live.length; i++) {
            temporary[i] = TallyLayout.repairKey(live[i]);
        }
        // left by a repair that died half-way
        redis.del(temporary);
        Map<String, String> tally = new LinkedHashMap<>();
        replay.tallyFields().forEach((field, count) -> tally.put(field, Long.toString(count)));
        Map<String, String> seen = new LinkedHashMap<>();
        replay.seen().forEach((id, decision) -> seen.put(id, decision.seenValue()));
        Map<String, String> voters = new LinkedHashMap<>();
        replay.voters().forEach((voter, count) -> voters.put(voter, Long.toString(count)));
        writeInChunks(temporary[0], tally);
        writeInChunks(temporary[1], seen);
        writeInChunks(temporary[2], voters);

        List<String> keys = new ArrayList<>(List.of(live));
        keys.addAll(List.of(temporary));
        List<String> args = new ArrayList<>(List.of(Long.toString(retentionMillis), Integer.toString(tally.size()),
                Integer.toString(seen.size()), Integer.toString(voters.size())));
        for (int partition : snapshot.partitions()) {
            keys.add(TallyLayout.positionKey(topic, partition));
            Long position = snapshot.positions().get(partition);
            args.add(position == null ? "" : position.toString());
        }
        try {
            redis.eval(REPLACE_SCRIPT.source(), ScriptOutputType.STATUS, keys.toArray(String[]::new), args.toArray(String[]::new));
        } catch (RedisCommandExecutionException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            int stale = message.indexOf("STALE ");
            if (stale >= 0) {
                throw new PositionsChangedException("shard " + shard + ": " + message.substring(stale + "STALE ".length()));
            }
            throw e;
        }
    }

    private void writeInChunks(String key, Map<String, String> values) {
        Map<String, String> chunk = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            chunk.put(entry.getKey(), entry.getValue());
            if (chunk.size() == CHUNK) {
                write(key, chunk);
                chunk = new LinkedHashMap<>();
            }
        }
        if (!chunk.isEmpty()) {
            write(key, chunk);
        }
    }

    private void write(String key, Map<String, String> chunk) {
        redis.hset(key, chunk);
        redis.pexpire(key, TEMPORARY_LIFETIME.toMillis());
    }

    private static long number(String value, String what) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(what + " holds '" + value + "', not a number", e);
        }
    }
}
