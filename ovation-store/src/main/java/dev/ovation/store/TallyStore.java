package dev.ovation.store;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The live tallies in Redis, per contest: total, per band, per band and album, rejected by reason.
 *
 * <p>Counting runs as one Lua script per batch, so a batch's tallies, its votes' ids (for
 * deduplication) and the topic position it reached are written together or not at all. A record
 * below the stored position is a replay and changes nothing; an id counted before is a duplicate
 * and changes only the duplicate count; a vote past its voter's limit (carried in the record) is
 * rejected and counted by reason. {@code ovation:voters:<contest>} holds each voter's counted votes. Keys: {@code ovation:tally:<contest>} (hash),
 * {@code ovation:seen:<contest>} (hash of id to when and where it was counted),
 * {@code ovation:positions:<topic>} (hash of partition to next offset).
 */
public final class TallyStore {

    private static final char SEP = '\u001f';
    private static final String SCRIPT = loadScript();

    private final RedisCommands<String, String> redis;
    private String scriptSha;

    public TallyStore(StatefulRedisConnection<String, String> connection) {
        this.redis = connection.sync();
    }

    /**
     * Counts a batch and records the position reached in each partition, provided the stored
     * positions are still the expected ones.
     *
     * @param votes    the batch, in topic order within each partition
     * @param expected partition to the position the caller last read or wrote (absent: none)
     * @param reached  partition to the next offset after the batch
     * @param now      when the votes are counted, epoch milliseconds
     * @return one outcome per vote, in order
     * @throws PositionsChangedException when a stored position is not the expected one; nothing
     *                                   was written
     */
    public List<CountOutcome> count(String topic, List<QueuedVote> votes, Map<Integer, Long> expected,
                                    Map<Integer, Long> reached, long now) {
        List<String> args = new ArrayList<>(2 + reached.size() * 3 + votes.size() * 8);
        args.add(Long.toString(now));
        args.add(Integer.toString(reached.size()));
        reached.forEach((partition, next) -> {
            Long before = expected.get(partition);
            args.add(partition.toString());
            args.add(before == null ? "" : before.toString());
            args.add(next.toString());
        });
        for (QueuedVote q : votes) {
            var v = q.envelope().vote();
            args.add(v.contest());
            args.add(v.id());
            args.add(v.band());
            args.add(v.album());
            args.add(v.voter());
            args.add(Integer.toString(q.envelope().votesPerVoter()));
            args.add(Integer.toString(q.partition()));
            args.add(Long.toString(q.offset()));
        }
        List<String> answers = runScript(positionsKey(topic), args.toArray(String[]::new));
        List<CountOutcome> outcomes = new ArrayList<>(votes.size());
        for (int i = 0; i < votes.size(); i++) {
            outcomes.add(CountOutcome.parse(answers.get(i), votes.get(i).partition(), votes.get(i).offset()));
        }
        return outcomes;
    }

    private List<String> runScript(String key, String[] args) {
        if (scriptSha == null) {
            scriptSha = redis.scriptLoad(SCRIPT);
        }
        try {
            try {
                return redis.evalsha(scriptSha, ScriptOutputType.MULTI, new String[] {key}, args);
            } catch (RedisNoScriptException e) {
                // Redis restarted and forgot the script: load it again.
                scriptSha = redis.scriptLoad(SCRIPT);
                return redis.evalsha(scriptSha, ScriptOutputType.MULTI, new String[] {key}, args);
            }
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() != null && e.getMessage().contains("POSITIONS_CHANGED")) {
                throw new PositionsChangedException(e.getMessage());
            }
            throw e;
        }
    }

    /** The next offset to apply per partition, as far as the tallies are concerned. */
    public Map<Integer, Long> positions(String topic) {
        Map<Integer, Long> positions = new HashMap<>();
        redis.hgetall(positionsKey(topic)).forEach((p, next) -> positions.put(Integer.parseInt(p), Long.parseLong(next)));
        return positions;
    }

    /** The tallies of a contest, bands and albums by votes descending (then by name). */
    public ContestTally read(String contest) {
        Map<String, String> fields = redis.hgetall("ovation:tally:" + contest);
        long total = 0;
        long duplicates = 0;
        Map<String, Long> bands = new TreeMap<>();
        Map<String, Long> rejected = new TreeMap<>();
        Map<String, Map<String, Long>> albums = new HashMap<>();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            String name = field.getKey();
            long value = Long.parseLong(field.getValue());
            if (name.equals("total")) {
                total = value;
            } else if (name.equals("duplicates")) {
                duplicates = value;
            } else if (name.startsWith("b" + SEP)) {
                bands.put(name.substring(2), value);
            } else if (name.startsWith("r" + SEP)) {
                rejected.put(name.substring(2), value);
            } else if (name.startsWith("a" + SEP)) {
                int split = name.indexOf(SEP, 2);
                albums.computeIfAbsent(name.substring(2, split), b -> new LinkedHashMap<>())
                        .put(name.substring(split + 1), value);
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

    /** Answers when Redis answers PING. */
    public void ping() {
        redis.ping();
    }

    private static String positionsKey(String topic) {
        return "ovation:positions:" + topic;
    }

    private static String loadScript() {
        try (InputStream in = TallyStore.class.getResourceAsStream("count-votes.lua")) {
            if (in == null) {
                throw new IllegalStateException("count-votes.lua is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
