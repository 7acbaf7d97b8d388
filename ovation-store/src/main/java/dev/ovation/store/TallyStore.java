package dev.ovation.store;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The live tallies in Redis, per contest: total, per band, per band and album, rejected by reason,
 * laid out in shards as {@link TallyLayout} says.
 *
 * <p>Counting runs the script {@code count-votes.lua} once per topic partition of a batch, all
 * partitions sent at once (one round trip): a partition's tallies, its votes' ids (for
 * deduplication), its voters' counts and the position it reached are written together or not at
 * all. A record below the stored position is a replay and changes nothing; an id decided before is
 * a duplicate and changes only the duplicate count; a vote past its voter's limit (carried in the
 * record) is rejected and counted by reason. The script sums a batch's votes per band and album and
 * increments each distinct field once.
 */
public final class TallyStore {

    private static final LuaScript SCRIPT = LuaScript.load("count-votes.lua");

    private final RedisLink redis;
    private final long retentionMillis;
    private final Duration timeout;

    /**
     * @param retention how long a contest's voters and seen ids are kept in a shard after its last
     *                  vote there (zero: forever); the tallies themselves are kept forever
     * @param timeout   how long one batch's or one read's commands may take
     */
    public TallyStore(RedisLink redis, Duration retention, Duration timeout) {
        this.redis = redis;
        this.retentionMillis = retention.toMillis();
        this.timeout = timeout;
    }

    /**
     * Counts a batch and records the position reached in each partition, provided the stored
     * positions are still the expected ones. Each partition is applied atomically; when one fails,
     * others of the batch may have been applied, which the positions tell.
     *
     * @param votes    the batch, in topic order within each partition
     * @param expected partition to the position the caller last read or wrote (absent: none)
     * @param reached  partition to the next offset after the batch; every partition of the batch
     * @param now      when the votes are counted, epoch milliseconds
     * @return one outcome per vote, in order
     * @throws PositionsChangedException when a stored position is not the expected one; that
     *                                   partition was not written
     */
    public List<CountOutcome> count(String topic, List<QueuedVote> votes, Map<Integer, Long> expected,
                                    Map<Integer, Long> reached, long now) {
        Map<Integer, List<QueuedVote>> byPartition = new LinkedHashMap<>();
        reached.keySet().forEach(p -> byPartition.put(p, new ArrayList<>()));
        for (QueuedVote q : votes) {
            List<QueuedVote> part = byPartition.get(q.partition());
            if (part == null) {
                throw new IllegalArgumentException("vote at " + q.partition() + "@" + q.offset()
                        + " is of a partition missing from reached");
            }
            part.add(q);
        }
        Map<Integer, RedisFuture<String>> answers = new LinkedHashMap<>();
        Map<Integer, TallyLayout.ScriptCall> calls = new HashMap<>();
        byPartition.forEach((partition, part) -> {
            TallyLayout.ScriptCall call = TallyLayout.countCall(topic, partition, part, expected.get(partition),
                    reached.get(partition), retentionMillis);
            calls.put(partition, call);
            answers.put(partition, redis.async().evalsha(SCRIPT.sha(), ScriptOutputType.VALUE, call.keys(), call.args()));
        });
        Map<Integer, List<CountOutcome>> outcomes = new HashMap<>();
        PositionsChangedException changed = null;
        for (Map.Entry<Integer, RedisFuture<String>> answer : answers.entrySet()) {
            int partition = answer.getKey();
            try {
                String result = await(answer.getValue(), calls.get(partition));
                outcomes.put(partition, TallyLayout.parseAnswer(result, byPartition.get(partition).size(), now));
            } catch (RedisCommandExecutionException e) {
                if (e.getMessage() == null || !e.getMessage().contains("POSITIONS_CHANGED")) {
                    throw e;
                }
                if (changed == null) {
                    changed = new PositionsChangedException("partition " + partition + ": " + e.getMessage());
                }
            }
        }
        if (changed != null) {
            throw changed;
        }
        List<CountOutcome> ordered = new ArrayList<>(votes.size());
        Map<Integer, Integer> next = new HashMap<>();
        for (QueuedVote q : votes) {
            int i = next.merge(q.partition(), 1, Integer::sum) - 1;
            ordered.add(outcomes.get(q.partition()).get(i));
        }
        return ordered;
    }

    /** Waits for one script answer; runs the script by its source when Redis does not know its digest. */
    private String await(RedisFuture<String> answer, TallyLayout.ScriptCall call) {
        try {
            return get(answer);
        } catch (RedisNoScriptException e) {
            // Redis restarted, or this cluster node never ran it: EVAL also caches it there.
            return redis.sync().eval(SCRIPT.source(), ScriptOutputType.VALUE, call.keys(), call.args());
        }
    }

    /**
     * Deletes a contest's tallies, seen ids and voters in every shard. For the warm-up's own contest
     * only ({@link WarmupSpace}); the positions of its topic stay, so the next warm-up resumes there.
     */
    public void forget(String contest) {
        // one key a command: the keys live in several hash slots of a Redis Cluster
        List<RedisFuture<Long>> deleted = new ArrayList<>();
        for (int shard = 0; shard < TallyLayout.SHARDS; shard++) {
            for (String key : List.of(TallyLayout.tallyKey(shard, contest), TallyLayout.seenKey(shard, contest),
                    TallyLayout.votersKey(shard, contest))) {
                deleted.add(redis.async().del(key));
            }
        }
        deleted.forEach(this::get);
    }

    /** The next offset to apply per partition, as far as the tallies are concerned (absent: none). */
    public Map<Integer, Long> positions(String topic, Collection<Integer> partitions) {
        Map<Integer, RedisFuture<String>> pending = new LinkedHashMap<>();
        for (int partition : partitions) {
            pending.put(partition, redis.async().get(TallyLayout.positionKey(topic, partition)));
        }
        Map<Integer, Long> positions = new HashMap<>();
        pending.forEach((partition, future) -> {
            String value = get(future);
            if (value != null) {
                positions.put(partition, Long.parseLong(value));
            }
        });
        return positions;
    }

    /**
     * How counting decided a vote id of a contest, as the seen hashes remember it (for the
     * retention after the contest's last vote in the shard), or empty when no shard holds the id.
     * One {@code HGET} per shard, all in one round trip.
     */
    public Optional<SeenVote> seen(String contest, String id) {
        List<RedisFuture<String>> shards = new ArrayList<>(TallyLayout.SHARDS);
        for (int shard = 0; shard < TallyLayout.SHARDS; shard++) {
            shards.add(redis.async().hget(TallyLayout.seenKey(shard, contest), id));
        }
        for (int shard = 0; shard < TallyLayout.SHARDS; shard++) {
            String value = get(shards.get(shard));
            if (value != null) {
                TallyLayout.SeenValue seen = TallyLayout.parseSeen(value);
                return Optional.of(new SeenVote(shard, seen.counted(), seen.offset()));
            }
        }
        return Optional.empty();
    }

    /**
     * Every vote id of a contest that one shard's seen hash holds, with how counting decided it
     * (one {@code HGETALL}): for a checker that looks for an id counted in two shards.
     */
    public Map<String, SeenVote> seenInShard(String contest, int shard) {
        Map<String, SeenVote> decided = new HashMap<>();
        get(redis.async().hgetall(TallyLayout.seenKey(shard, contest))).forEach((id, value) -> {
            TallyLayout.SeenValue seen = TallyLayout.parseSeen(value);
            decided.put(id, new SeenVote(shard, seen.counted(), seen.offset()));
        });
        return decided;
    }

    /**
     * A vote id as its shard's seen hash holds it.
     *
     * @param shard   the shard whose partitions ({@link TallyLayout#shardOf}) hold the deciding record
     * @param counted true when the id counts in the tallies, false when it was rejected over its
     *                voter's limit
     * @param offset  the offset of the deciding record in its partition
     */
    public record SeenVote(int shard, boolean counted, long offset) {
    }

    /** A contest's tally fields summed over its shards. */
    public Map<String, Long> fields(String contest) {
        List<RedisFuture<Map<String, String>>> shards = new ArrayList<>(TallyLayout.SHARDS);
        for (int shard = 0; shard < TallyLayout.SHARDS; shard++) {
            shards.add(redis.async().hgetall(TallyLayout.tallyKey(shard, contest)));
        }
        Map<String, Long> sums = new HashMap<>();
        for (RedisFuture<Map<String, String>> shard : shards) {
            get(shard).forEach((field, value) -> sums.merge(field, Long.parseLong(value), Long::sum));
        }
        return sums;
    }

    private <T> T get(RedisFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new RedisCommandTimeoutException("Redis did not answer within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisCommandInterruptedException(e);
        }
    }

    /** The tallies of a contest, bands and albums by votes descending (then by name). */
    public ContestTally read(String contest) {
        Map<String, Long> fields = fields(contest);
        long total = 0;
        long duplicates = 0;
        Map<String, Long> bands = new TreeMap<>();
        Map<String, Long> rejected = new TreeMap<>();
        Map<String, Map<String, Long>> albums = new HashMap<>();
        for (Map.Entry<String, Long> field : fields.entrySet()) {
            String name = field.getKey();
            long value = field.getValue();
            if (name.equals(TallyFields.TOTAL)) {
                total = value;
            } else if (name.equals(TallyFields.DUPLICATES)) {
                duplicates = value;
            } else {
                TallyFields.bandOf(name).ifPresent(band -> bands.put(band, value));
                TallyFields.reasonOf(name).ifPresent(reason -> rejected.put(reason, value));
                TallyFields.albumOf(name).ifPresent(album -> albums.computeIfAbsent(album.band(),
                        b -> new LinkedHashMap<>()).put(album.album(), value));
            }
        }
        List<ContestTally.BandTally> bandTallies = new ArrayList<>();
        bands.forEach((band, votes) -> {
            List<ContestTally.AlbumTally> albumTallies = albums.getOrDefault(band, Map.of()).entrySet().stream()
                    .map(e -> new ContestTally.AlbumTally(e.getKey(), e.getValue()))
                    .sorted(Comparator.comparingLong(ContestTally.AlbumTally::votes).reversed()
                            .thenComparing(ContestTally.AlbumTally::album))
                    .toList();
            bandTallies.add(new ContestTally.BandTally(band, votes, albumTallies));
        });
        bandTallies.sort(Comparator.comparingLong(ContestTally.BandTally::votes).reversed()
                .thenComparing(ContestTally.BandTally::band));
        return new ContestTally(contest, total, duplicates, rejected, bandTallies);
    }

    /**
     * Writes a contest's tallies to its dashboard hashes ({@link TallyLayout#boardBandsKey},
     * {@link TallyLayout#boardAlbumsKey}), one {@code HSET} each. Fields are only ever set, never
     * removed: a band keeps its field once it has votes.
     */
    public void publishBoard(ContestTally tally) {
        Map<String, String> bands = new LinkedHashMap<>();
        Map<String, String> albums = new LinkedHashMap<>();
        for (ContestTally.BandTally band : tally.bands()) {
            bands.put(band.band(), Long.toString(band.votes()));
            for (ContestTally.AlbumTally album : band.albums()) {
                albums.put(band.band() + " / " + album.album(), Long.toString(album.votes()));
            }
        }
        List<RedisFuture<Long>> writes = new ArrayList<>(2);
        if (!bands.isEmpty()) {
            writes.add(redis.async().hset(TallyLayout.boardBandsKey(tally.contest()), bands));
        }
        if (!albums.isEmpty()) {
            writes.add(redis.async().hset(TallyLayout.boardAlbumsKey(tally.contest()), albums));
        }
        writes.forEach(this::get);
    }

    /** Answers when Redis answers PING. */
    public void ping() {
        redis.ping();
    }
}
