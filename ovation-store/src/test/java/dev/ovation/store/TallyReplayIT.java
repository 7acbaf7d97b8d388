package dev.ovation.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ovation.infra.EmbeddedRedis;
import dev.ovation.infra.LocalPorts;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import dev.ovation.store.TallyReplay.Decision;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one set of counting rules, in its two forms: {@code count-votes.lua}, which counts every vote
 * live, and {@link TallyReplay}, which the recount replays the topic with. The same random records
 * (two contests on three partitions, two of them sharing a shard; repeat voters over random
 * limits, resent ids, records set aside, batches read again after a rewind) go through the
 * script, in batches as a counter sends them, against a real Redis, and through the replay; every
 * vote's outcome, and then every tally field, seen id and voter count of each contest in each shard,
 * must be identical. A second replay per shard, fed partition after partition as the recount reads
 * them, must end identical too.
 */
class TallyReplayIT {

    private static final String TOPIC = "votes";
    private static final List<String> CONTESTS = List.of("c1", "c2");
    /** Partitions 0 and 16 share shard 0; partition 1 has shard 1. */
    private static final List<Integer> PARTITIONS = List.of(0, 16, 1);
    private static final String[][] ALBUMS = {{"Queen", "Jazz"}, {"Queen", "Innuendo"}, {"Abba", "Arrival"},
        {"Muse", ""}};
    private static final int VOTERS = 8;
    private static final int RECORDS = 600;
    private static final int ROUNDS = 10;

    @TempDir
    static Path dataDir;

    private static EmbeddedRedis redisServer;
    private static RedisLink connection;

    @BeforeAll
    static void startRedis() {
        redisServer = EmbeddedRedis.start(dataDir, "127.0.0.1", LocalPorts.pickFree("127.0.0.1"));
        connection = RedisLink.open(redisServer.uri(), Duration.ofSeconds(10));
    }

    @AfterAll
    static void stopRedis() {
        connection.close();
        redisServer.close();
    }

    /**
     * A record of the topic: a vote, or (null) one the counters set aside, which the script never
     * sees but whose offset the position passes.
     */
    private record TopicRecord(QueuedVote vote, int partition, long offset) {
    }

    @Test
    void shouldDecideEveryVoteAsTheCountingScriptDoes() {
        long firstSeed = System.nanoTime();
        for (int round = 0; round < ROUNDS; round++) {
            long seed = firstSeed + round;
            connection.sync().flushall();
            Map<Integer, List<TopicRecord>> topic = randomTopic(new Random(seed));
            Map<String, TallyReplay> live = countLiveAndReplayAlongside(topic, new Random(seed + 1), seed);
            assertRedisHoldsWhatTheReplaysHold(live, seed, "replayed alongside");
            assertRedisHoldsWhatTheReplaysHold(replayPartitionAfterPartition(topic), seed,
                    "replayed partition after partition");
        }
    }

    /**
     * Each partition's records, in offset order: named voters each vote on one partition (as the
     * record key keeps them), anonymous votes on any; some records resend an earlier vote of the
     * same partition, or are set aside.
     */
    private static Map<Integer, List<TopicRecord>> randomTopic(Random random) {
        Map<Integer, List<TopicRecord>> topic = new LinkedHashMap<>();
        PARTITIONS.forEach(p -> topic.put(p, new ArrayList<>()));
        for (int i = 0; i < RECORDS; i++) {
            String voter = random.nextInt(3) == 0 ? "" : "+502-" + random.nextInt(VOTERS);
            int partition = voter.isEmpty() ? PARTITIONS.get(random.nextInt(PARTITIONS.size()))
                    : PARTITIONS.get(Integer.parseInt(voter.substring(5)) % PARTITIONS.size());
            List<TopicRecord> records = topic.get(partition);
            long offset = records.size();
            int kind = random.nextInt(100);
            if (kind < 4) {
                records.add(new TopicRecord(null, partition, offset));
                continue;
            }
            List<TopicRecord> votes = records.stream().filter(r -> r.vote() != null).toList();
            if (kind < 20 && !votes.isEmpty()) {
                // a client's resend: the same vote again, or the same id with another band
                VoteEnvelope earlier = votes.get(random.nextInt(votes.size())).vote().envelope();
                Vote vote = earlier.vote();
                if (random.nextBoolean()) {
                    String[] album = ALBUMS[random.nextInt(ALBUMS.length)];
                    vote = new Vote(vote.id(), vote.contest(), album[0], album[1], "", "", vote.voter());
                }
                records.add(new TopicRecord(new QueuedVote(new VoteEnvelope(vote, "http", 1L, earlier.votesPerVoter()),
                        partition, offset), partition, offset));
                continue;
            }
            String[] album = ALBUMS[random.nextInt(ALBUMS.length)];
            Vote vote = new Vote("v" + i, CONTESTS.get(random.nextInt(CONTESTS.size())), album[0], album[1], "", "",
                    voter);
            // the limit travels in each record: the contest's rule when the vote came, 0 for none
            int limit = random.nextInt(4);
            records.add(new TopicRecord(new QueuedVote(new VoteEnvelope(vote, "http", 1L, limit), partition, offset),
                    partition, offset));
        }
        return topic;
    }

    /**
     * Counts the topic through {@code count-votes.lua} in random batches that take the partitions'
     * next records in turn, as a poll returns them, sometimes reading records again after a rewind
     * (a counter restarted before Kafka had its offsets); feeds every record, as counted, to one
     * replay per contest and shard, and checks each vote's outcome against the script's.
     *
     * @return the replays, by {@code contest/shard}
     */
    private static Map<String, TallyReplay> countLiveAndReplayAlongside(Map<Integer, List<TopicRecord>> topic,
                                                                        Random random, long seed) {
        TallyStore tallies = new TallyStore(connection, Duration.ofHours(24), Duration.ofSeconds(10));
        Map<String, TallyReplay> replays = new TreeMap<>();
        Map<Integer, Long> stored = new HashMap<>();
        Map<Integer, Integer> next = new HashMap<>();
        PARTITIONS.forEach(p -> next.put(p, 0));
        while (PARTITIONS.stream().anyMatch(p -> next.get(p) < topic.get(p).size())) {
            if (random.nextInt(10) == 0) {
                PARTITIONS.forEach(p -> next.put(p, Math.max(0, next.get(p) - random.nextInt(30))));
            }
            List<TopicRecord> batch = new ArrayList<>();
            int size = 1 + random.nextInt(40);
            for (int taken = 0; taken < size; taken++) {
                int partition = PARTITIONS.get(random.nextInt(PARTITIONS.size()));
                if (next.get(partition) < topic.get(partition).size()) {
                    batch.add(topic.get(partition).get(next.get(partition)));
                    next.merge(partition, 1, Integer::sum);
                }
            }
            if (batch.isEmpty()) {
                continue;
            }
            Map<Integer, Long> reached = new HashMap<>();
            List<QueuedVote> votes = new ArrayList<>();
            for (TopicRecord record : batch) {
                reached.put(record.partition(), record.offset() + 1);
                if (record.vote() != null) {
                    votes.add(record.vote());
                }
            }
            Map<Integer, Long> expected = new HashMap<>(stored);
            List<CountOutcome> outcomes = tallies.count(TOPIC, votes, expected, reached, 1_000L);
            reached.forEach((p, r) -> stored.merge(p, r, Math::max));

            int v = 0;
            for (TopicRecord record : batch) {
                CountOutcome replayed = replay(replays, record);
                if (record.vote() != null) {
                    assertThat(replayed).as("seed %d: %s at %d@%d", seed, record.vote().envelope().vote(),
                            record.partition(), record.offset()).isEqualTo(outcomes.get(v++));
                }
            }
        }
        return replays;
    }

    /**
     * Applies a record to every contest's replay of its shard (each one marks the offset applied),
     * and answers what the record's own contest's replay decided, in the script's terms.
     */
    private static CountOutcome replay(Map<String, TallyReplay> replays, TopicRecord record) {
        int shard = TallyLayout.shardOf(record.partition());
        CountOutcome outcome = null;
        for (String contest : CONTESTS) {
            TallyReplay replay = replays.computeIfAbsent(contest + "/" + shard, k -> new TallyReplay(contest));
            if (record.vote() == null) {
                replay.skip(record.partition(), record.offset());
                continue;
            }
            Vote vote = record.vote().envelope().vote();
            TallyReplay.Outcome applied = replay.apply(record.vote().envelope(), record.partition(), record.offset());
            if (vote.contest().equals(contest)) {
                outcome = asScriptAnswers(applied, replay.seen().get(vote.id()), record);
            }
        }
        return outcome;
    }

    /**
     * The script's answer for a record the replay decided so: a record below the stored position
     * is answered by whether it decided its id itself ({@code C}/{@code R}) or not ({@code D}).
     */
    private static CountOutcome asScriptAnswers(TallyReplay.Outcome applied, Decision decision, TopicRecord record) {
        return switch (applied) {
            case COUNTED -> new CountOutcome(true, true, 1_000L);
            case REJECTED_VOTER_LIMIT -> new CountOutcome(true, false, 1_000L);
            case DUPLICATE -> new CountOutcome(false, false, 1_000L);
            case ALREADY_APPLIED -> {
                boolean decidedHere = decision != null && decision.partition() == record.partition()
                        && decision.offset() == record.offset();
                yield new CountOutcome(decidedHere, decidedHere && decision.counted(), 1_000L);
            }
            default -> throw new IllegalStateException(applied + " for a vote of its own contest");
        };
    }

    /** The recount's way: one replay per contest and shard, fed each partition of the shard in turn. */
    private static Map<String, TallyReplay> replayPartitionAfterPartition(Map<Integer, List<TopicRecord>> topic) {
        Map<String, TallyReplay> replays = new TreeMap<>();
        TallyLayout.partitionsByShard(PARTITIONS).forEach((shard, inShard) -> {
            for (String contest : CONTESTS) {
                TallyReplay replay = new TallyReplay(contest);
                for (int partition : inShard) {
                    for (TopicRecord record : topic.get(partition)) {
                        if (record.vote() == null) {
                            replay.skip(partition, record.offset());
                        } else {
                            replay.apply(record.vote().envelope(), partition, record.offset());
                        }
                    }
                }
                if (!inShard.isEmpty()) {
                    replays.put(contest + "/" + shard, replay);
                }
            }
        });
        return replays;
    }

    private static void assertRedisHoldsWhatTheReplaysHold(Map<String, TallyReplay> replays, long seed, String how) {
        assertThat(replays.keySet()).containsExactlyInAnyOrder("c1/0", "c1/1", "c2/0", "c2/1");
        long counted = 0;
        long rejected = 0;
        long duplicates = 0;
        for (Map.Entry<String, TallyReplay> entry : replays.entrySet()) {
            TallyReplay replay = entry.getValue();
            int shard = Integer.parseInt(entry.getKey().substring(entry.getKey().indexOf('/') + 1));
            String contest = replay.contest();
            Map<String, String> tally = new HashMap<>();
            replay.tallyFields().forEach((field, count) -> tally.put(field, Long.toString(count)));
            Map<String, String> seen = new HashMap<>();
            replay.seen().forEach((id, decision) -> seen.put(id, decision.seenValue()));
            Map<String, String> voters = new HashMap<>();
            replay.voters().forEach((voter, count) -> voters.put(voter, Long.toString(count)));
            String where = String.format("seed %d, %s, contest %s, shard %d", seed, how, contest, shard);
            assertThat(connection.sync().hgetall(TallyLayout.tallyKey(shard, contest))).as(where).isEqualTo(tally);
            assertThat(connection.sync().hgetall(TallyLayout.seenKey(shard, contest))).as(where).isEqualTo(seen);
            assertThat(connection.sync().hgetall(TallyLayout.votersKey(shard, contest))).as(where).isEqualTo(voters);
            counted += replay.total();
            rejected += replay.count(TallyFields.rejected(CountOutcome.VOTER_LIMIT));
            duplicates += replay.duplicates();
        }
        // the round exercised every rule
        assertThat(counted).as("seed %d: counted", seed).isPositive();
        assertThat(rejected).as("seed %d: rejected over a voter's limit", seed).isPositive();
        assertThat(duplicates).as("seed %d: duplicates", seed).isPositive();
    }
}
