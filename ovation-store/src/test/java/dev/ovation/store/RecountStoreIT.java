package dev.ovation.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ovation.infra.EmbeddedRedis;
import dev.ovation.infra.LocalPorts;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recount's snapshot and repair of one shard against a real Redis: partitions 1 and 17 share
 * shard 1. A snapshot reads what counting wrote; a repair writes a replay's tallies, seen ids and
 * voters over the live ones with the counters' expiry, leaves no key of its own behind, and writes
 * nothing once a position of the shard moved.
 */
class RecountStoreIT {

    private static final String TOPIC = "votes";
    private static final String CONTEST = "c1";
    private static final int SHARD = 1;
    private static final List<Integer> PARTITIONS = List.of(1, 17);
    private static final Duration RETENTION = Duration.ofHours(24);

    @TempDir
    static Path dataDir;

    private static EmbeddedRedis redisServer;
    private static RedisLink connection;
    private TallyStore tallies;
    private RecountStore store;

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

    @BeforeEach
    void emptyRedis() {
        connection.sync().flushall();
        tallies = new TallyStore(connection, RETENTION, Duration.ofSeconds(10));
        store = new RecountStore(connection, TOPIC, RETENTION);
    }

    private static QueuedVote vote(String id, String voter, int partition, long offset) {
        return new QueuedVote(new VoteEnvelope(new Vote(id, CONTEST, "Queen", "Jazz", "", "", voter), "http", 1L, 1),
                partition, offset);
    }

    /** Four votes on partition 1 (one over its voter's limit of 1, one resent) and one on 17, counted and replayed. */
    private TallyReplay countAndReplay() {
        List<QueuedVote> votes = List.of(vote("a", "+502-1", 1, 0), vote("b", "+502-1", 1, 1), vote("c", "", 1, 2),
                vote("c", "", 1, 3), vote("d", "+502-2", 17, 0));
        tallies.count(TOPIC, votes, Map.of(), Map.of(1, 4L, 17, 1L), 1_000L);
        TallyReplay replay = new TallyReplay(CONTEST);
        votes.forEach(v -> replay.apply(v.envelope(), v.partition(), v.offset()));
        return replay;
    }

    private static Map<String, String> hash(String key) {
        return connection.sync().hgetall(key);
    }

    private static Set<String> keys() {
        return Set.copyOf(connection.sync().keys("*"));
    }

    @Test
    void shouldSnapshotTheShardAsCountingWroteIt() {
        // Given votes counted in both partitions of the shard
        countAndReplay();

        // When snapshotting the shard
        ShardSnapshot snapshot = store.snapshot(CONTEST, SHARD, PARTITIONS);

        // Then it holds the positions, the tally and the sizes of the seen and voters hashes
        assertThat(snapshot).isEqualTo(new ShardSnapshot(SHARD, PARTITIONS, Map.of(1, 4L, 17, 1L),
                Map.of(TallyFields.TOTAL, 3L, TallyFields.DUPLICATES, 1L, TallyFields.band("Queen"), 3L,
                        TallyFields.album("Queen", "Jazz"), 3L, TallyFields.rejected(CountOutcome.VOTER_LIMIT), 1L),
                4, 2));
        // and a shard nothing was counted in is empty, without positions
        assertThat(store.snapshot(CONTEST, 2, List.of(2))).isEqualTo(new ShardSnapshot(2, List.of(2), Map.of(),
                Map.of(), 0, 0));
    }

    @Test
    void shouldReplaceTheShardsHashesByTheReplaysWithTheCountersExpiry() {
        // Given a shard whose tally, seen ids and voters were changed behind the counters' back
        TallyReplay replay = countAndReplay();
        Map<String, String> tally = hash(TallyLayout.tallyKey(SHARD, CONTEST));
        Map<String, String> seen = hash(TallyLayout.seenKey(SHARD, CONTEST));
        Map<String, String> voters = hash(TallyLayout.votersKey(SHARD, CONTEST));
        Set<String> keys = keys();
        connection.sync().hincrby(TallyLayout.tallyKey(SHARD, CONTEST), TallyFields.TOTAL, 5);
        connection.sync().hdel(TallyLayout.seenKey(SHARD, CONTEST), "a");
        connection.sync().hset(TallyLayout.votersKey(SHARD, CONTEST), "+502-9", "4");
        ShardSnapshot snapshot = store.snapshot(CONTEST, SHARD, PARTITIONS);

        // When replacing it by the replay
        store.replace(CONTEST, snapshot, replay);

        // Then the shard holds exactly what counting wrote, the tally kept forever and the others for
        // the retention, and no other key is left
        assertThat(hash(TallyLayout.tallyKey(SHARD, CONTEST))).isEqualTo(tally);
        assertThat(hash(TallyLayout.seenKey(SHARD, CONTEST))).isEqualTo(seen);
        assertThat(hash(TallyLayout.votersKey(SHARD, CONTEST))).isEqualTo(voters);
        assertThat(connection.sync().pttl(TallyLayout.tallyKey(SHARD, CONTEST))).isEqualTo(-1L);
        assertThat(connection.sync().pttl(TallyLayout.seenKey(SHARD, CONTEST))).isBetween(1L, RETENTION.toMillis());
        assertThat(connection.sync().pttl(TallyLayout.votersKey(SHARD, CONTEST))).isBetween(1L, RETENTION.toMillis());
        assertThat(keys()).isEqualTo(keys);
    }

    @Test
    void shouldDeleteALiveHashTheReplayHasNoEntriesFor() {
        // Given a tally, seen ids and voters that the record has no vote for
        countAndReplay();
        ShardSnapshot snapshot = store.snapshot(CONTEST, SHARD, PARTITIONS);

        // When replacing them by an empty replay
        store.replace(CONTEST, snapshot, new TallyReplay(CONTEST));

        // Then only the positions are left
        assertThat(keys()).containsExactlyInAnyOrder(TallyLayout.positionKey(TOPIC, 1), TallyLayout.positionKey(TOPIC, 17));
    }

    @Test
    void shouldWriteNothingOnceAPositionOfTheShardMovedSinceTheSnapshot() {
        // Given a snapshot of a tampered shard, then one more vote counted in partition 17
        TallyReplay replay = countAndReplay();
        connection.sync().hincrby(TallyLayout.tallyKey(SHARD, CONTEST), TallyFields.TOTAL, 5);
        ShardSnapshot snapshot = store.snapshot(CONTEST, SHARD, PARTITIONS);
        tallies.count(TOPIC, List.of(vote("e", "", 17, 1)), Map.of(17, 1L), Map.of(17, 2L), 2_000L);
        Map<String, String> tally = hash(TallyLayout.tallyKey(SHARD, CONTEST));
        Map<String, String> seen = hash(TallyLayout.seenKey(SHARD, CONTEST));
        Set<String> keys = keys();

        // When replacing the shard by the replay of the snapshot's records
        // Then the repair is refused, naming the shard and the position, and nothing changed
        assertThatThrownBy(() -> store.replace(CONTEST, snapshot, replay))
                .isInstanceOf(PositionsChangedException.class)
                .hasMessage("shard 1: " + TallyLayout.positionKey(TOPIC, 17) + " is 2, was 1 at the recount");
        assertThat(hash(TallyLayout.tallyKey(SHARD, CONTEST))).isEqualTo(tally);
        assertThat(hash(TallyLayout.seenKey(SHARD, CONTEST))).isEqualTo(seen);
        assertThat(keys()).isEqualTo(keys);
    }

    @Test
    void shouldRefuseASnapshotOfATallyHoldingWhatCountingNeverWrites() {
        // Given a tally field that is not a number
        connection.sync().hset(TallyLayout.tallyKey(SHARD, CONTEST), TallyFields.TOTAL, "many");

        // Then the snapshot says which field of which key
        assertThatThrownBy(() -> store.snapshot(CONTEST, SHARD, PARTITIONS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the tally field 'total' of " + TallyLayout.tallyKey(SHARD, CONTEST)
                        + " holds 'many', not a number");
    }

    @Test
    void shouldWriteARepairOfManyEntriesInChunks() {
        // Given a replay of 2,500 anonymous votes in partition 1, more than one chunk of the repair
        TallyReplay replay = new TallyReplay(CONTEST);
        List<QueuedVote> votes = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            votes.add(vote("v" + i, "", 1, i));
            replay.apply(votes.get(i).envelope(), 1, i);
        }
        tallies.count(TOPIC, votes, Map.of(), Map.of(1, 2_500L), 1_000L);
        Map<String, String> seen = hash(TallyLayout.seenKey(SHARD, CONTEST));
        connection.sync().del(TallyLayout.seenKey(SHARD, CONTEST));

        // When repairing the shard
        store.replace(CONTEST, store.snapshot(CONTEST, SHARD, PARTITIONS), replay);

        // Then every seen id is back
        assertThat(hash(TallyLayout.seenKey(SHARD, CONTEST))).hasSize(2_500).isEqualTo(seen);
    }
}
