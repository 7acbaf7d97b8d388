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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tallies against a real Redis: replays change nothing, duplicates count apart, positions move forward. */
class TallyStoreIT {

    private static final String TOPIC = "votes";

    @TempDir
    static Path dataDir;

    private static EmbeddedRedis redisServer;
    private static RedisLink connection;
    private TallyStore tallies;

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
        tallies = new TallyStore(connection, Duration.ofHours(24), Duration.ofSeconds(10));
    }

    private static QueuedVote vote(String id, String band, String album, int partition, long offset) {
        return voterVote(id, band, album, "", 0, partition, offset);
    }

    private static QueuedVote voterVote(String id, String band, String album, String voter, int limit, int partition,
                                        long offset) {
        return new QueuedVote(new VoteEnvelope(new Vote(id, "c1", band, album, "", "", voter), "http", 1L, limit),
                partition, offset);
    }

    @Test
    void shouldCountABatchAndRecordItsPositions() {
        List<CountOutcome> outcomes = tallies.count(TOPIC, List.of(
                vote("a", "Queen", "Jazz", 0, 0), vote("b", "Queen", "Innuendo", 0, 1),
                vote("c", "Abba", "Arrival", 1, 0)), Map.of(), Map.of(0, 2L, 1, 1L), 1_000);

        assertThat(outcomes).containsOnly(new CountOutcome(true, true, 1_000));
        ContestTally tally = tallies.read("c1");
        assertThat(tally.total()).isEqualTo(3);
        assertThat(tally.bands()).containsExactly(
                new ContestTally.BandTally("Queen", 2, List.of(new ContestTally.AlbumTally("Innuendo", 1),
                        new ContestTally.AlbumTally("Jazz", 1))),
                new ContestTally.BandTally("Abba", 1, List.of(new ContestTally.AlbumTally("Arrival", 1))));
        assertThat(tallies.positions(TOPIC, List.of(0, 1, 2, 3))).isEqualTo(Map.of(0, 2L, 1, 1L));
    }

    @Test
    void shouldChangeNothingWhenABatchIsReplayed() {
        List<QueuedVote> batch = List.of(vote("a", "Queen", "Jazz", 0, 0), vote("b", "Queen", "Jazz", 0, 1));
        tallies.count(TOPIC, batch, Map.of(), Map.of(0, 2L), 1_000);

        List<CountOutcome> replay = tallies.count(TOPIC, batch, Map.of(0, 2L), Map.of(0, 2L), 2_000);

        assertThat(replay).containsExactly(new CountOutcome(true, true, 2_000), new CountOutcome(true, true, 2_000));
        assertThat(tallies.read("c1").total()).isEqualTo(2);
        assertThat(tallies.read("c1").duplicates()).isZero();
    }

    @Test
    void shouldAbsorbADuplicateIdFromAnotherRecordAndCountItApart() {
        tallies.count(TOPIC, List.of(vote("a", "Queen", "Jazz", 0, 0)), Map.of(), Map.of(0, 1L), 1_000);

        List<CountOutcome> outcomes = tallies.count(TOPIC, List.of(vote("a", "Queen", "Jazz", 0, 7)), Map.of(0, 1L),
                Map.of(0, 8L), 2_000);

        assertThat(outcomes).containsExactly(new CountOutcome(false, false, 2_000));
        assertThat(tallies.read("c1").total()).isEqualTo(1);
        assertThat(tallies.read("c1").duplicates()).isEqualTo(1);
    }

    @Test
    void shouldRefuseABatchWhenThePositionIsNotTheExpectedOne() {
        tallies.count(TOPIC, List.of(vote("a", "Queen", "Jazz", 0, 9)), Map.of(), Map.of(0, 10L), 1_000);

        // a stale counter that lost the partition writes an older batch
        assertThatThrownBy(() -> tallies.count(TOPIC, List.of(vote("z", "Queen", "Jazz", 0, 4)), Map.of(0, 4L),
                Map.of(0, 5L), 2_000))
                .isInstanceOf(PositionsChangedException.class)
                .hasMessageContaining("partition 0: POSITIONS_CHANGED the position is 10, not 4");

        assertThat(tallies.positions(TOPIC, List.of(0, 1, 2, 3))).isEqualTo(Map.of(0, 10L));
        assertThat(tallies.read("c1").total()).isEqualTo(1);
    }

    @Test
    void shouldRefuseABatchWhenRedisLostThePosition() {
        // as after a crash that lost the last writes: the counter expected a position, there is none
        assertThatThrownBy(() -> tallies.count(TOPIC, List.of(vote("a", "Queen", "Jazz", 0, 9)), Map.of(0, 9L),
                Map.of(0, 10L), 1_000))
                .isInstanceOf(PositionsChangedException.class)
                .hasMessageContaining("partition 0: POSITIONS_CHANGED the position is none, not 9");
        assertThat(tallies.read("c1").total()).isZero();
    }

    @Test
    void shouldNeverMovePositionsBackOnAReplay() {
        tallies.count(TOPIC, List.of(vote("a", "Queen", "Jazz", 0, 0), vote("b", "Queen", "Jazz", 0, 1)), Map.of(),
                Map.of(0, 2L), 1_000);

        tallies.count(TOPIC, List.of(vote("a", "Queen", "Jazz", 0, 0)), Map.of(0, 2L), Map.of(0, 1L), 2_000);

        assertThat(tallies.positions(TOPIC, List.of(0, 1, 2, 3))).isEqualTo(Map.of(0, 2L));
        assertThat(tallies.read("c1").total()).isEqualTo(2);
    }

    @Test
    void shouldReloadTheScriptWhenRedisForgotIt() {
        tallies.count(TOPIC, List.of(vote("a", "Queen", "Jazz", 0, 0)), Map.of(), Map.of(0, 1L), 1_000);
        connection.sync().scriptFlush();

        tallies.count(TOPIC, List.of(vote("b", "Queen", "Jazz", 0, 1)), Map.of(0, 1L), Map.of(0, 2L), 1_000);

        assertThat(tallies.read("c1").total()).isEqualTo(2);
    }

    @Test
    void shouldRejectVotesOverTheVoterLimitAndKeepThemOutOfTheTallies() {
        List<CountOutcome> outcomes = tallies.count(TOPIC, List.of(
                voterVote("a", "Queen", "Jazz", "+502-1", 2, 0, 0),
                voterVote("b", "Queen", "Jazz", "+502-1", 2, 0, 1),
                voterVote("c", "Abba", "Arrival", "+502-1", 2, 0, 2),
                voterVote("d", "Abba", "Arrival", "+502-2", 2, 0, 3)), Map.of(), Map.of(0, 4L), 1_000);

        assertThat(outcomes).extracting(CountOutcome::counted).containsExactly(true, true, false, true);
        ContestTally tally = tallies.read("c1");
        assertThat(tally.total()).isEqualTo(3);
        assertThat(tally.rejected()).isEqualTo(Map.of("voter_limit", 1L));
        assertThat(tally.bands()).extracting(ContestTally.BandTally::votes).containsExactly(2L, 1L);

        // a replay of the rejected vote is rejected again, and changes nothing
        assertThat(tallies.count(TOPIC, List.of(voterVote("c", "Abba", "Arrival", "+502-1", 2, 0, 2)), Map.of(0, 4L),
                Map.of(0, 3L), 2_000)).containsExactly(new CountOutcome(true, false, 2_000));
        assertThat(tallies.read("c1").rejected()).isEqualTo(Map.of("voter_limit", 1L));
        // and the shard's seen ids say which records decided them, and how
        assertThat(tallies.seenInShard("c1", 0)).isEqualTo(Map.of(
                "a", new TallyStore.SeenVote(0, true, 0), "b", new TallyStore.SeenVote(0, true, 1),
                "c", new TallyStore.SeenVote(0, false, 2), "d", new TallyStore.SeenVote(0, true, 3)));
        assertThat(tallies.seenInShard("c1", 1)).isEmpty();
    }

    @Test
    void shouldReadAnUnknownContestAsEmpty() {
        assertThat(tallies.read("nobody")).isEqualTo(new ContestTally("nobody", 0, 0, Map.of(), List.of()));
    }

    @Test
    void shouldSumABatchPerBandAndAlbumAcrossPartitionsAndContests() {
        List<QueuedVote> batch = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            int partition = i % 3;
            String album = i % 4 == 0 ? "Jazz" : "Innuendo";
            batch.add(new QueuedVote(new VoteEnvelope(new Vote("id-" + i, i % 5 == 0 ? "c2" : "c1", "Queen", album, "",
                    "", ""), "http", 1L, 0), partition, i / 3));
        }

        List<CountOutcome> outcomes = tallies.count(TOPIC, batch, Map.of(), Map.of(0, 200L, 1, 200L, 2, 200L), 1_000);

        assertThat(outcomes).hasSize(600).containsOnly(new CountOutcome(true, true, 1_000));
        // i % 5 == 0 goes to c2 (120 votes: 30 of them i % 4 == 0), the rest to c1 (480: 120 Jazz)
        assertThat(tallies.read("c1")).isEqualTo(new ContestTally("c1", 480, 0, Map.of(), List.of(
                new ContestTally.BandTally("Queen", 480, List.of(new ContestTally.AlbumTally("Innuendo", 360),
                        new ContestTally.AlbumTally("Jazz", 120))))));
        assertThat(tallies.read("c2").bands()).containsExactly(new ContestTally.BandTally("Queen", 120, List.of(
                new ContestTally.AlbumTally("Innuendo", 90), new ContestTally.AlbumTally("Jazz", 30))));
        assertThat(tallies.positions(TOPIC, List.of(0, 1, 2, 3))).isEqualTo(Map.of(0, 200L, 1, 200L, 2, 200L));
    }

    @Test
    void shouldDeduplicateWithinAShardWhichPartitionsSixteenApartShare() {
        tallies.count(TOPIC, List.of(vote("a", "Queen", "Jazz", 1, 0)), Map.of(), Map.of(1, 1L), 1_000);

        List<CountOutcome> outcomes = tallies.count(TOPIC, List.of(vote("a", "Queen", "Jazz", 17, 0)), Map.of(),
                Map.of(17, 1L), 2_000);

        assertThat(outcomes).containsExactly(new CountOutcome(false, false, 2_000));
        assertThat(tallies.read("c1").duplicates()).isEqualTo(1);
    }

    @Test
    void shouldExpireVoteIdsAndVotersAfterTheRetentionButKeepTheTallies() {
        tallies.count(TOPIC, List.of(voterVote("a", "Queen", "Jazz", "+502-1", 2, 0, 0)), Map.of(), Map.of(0, 1L),
                1_000);

        long hour = 3_600_000L;
        assertThat(connection.sync().pttl(TallyLayout.seenKey(0, "c1"))).isBetween(23 * hour, 24 * hour);
        assertThat(connection.sync().pttl(TallyLayout.votersKey(0, "c1"))).isBetween(23 * hour, 24 * hour);
        assertThat(connection.sync().pttl(TallyLayout.tallyKey(0, "c1"))).isEqualTo(-1L);
        assertThat(connection.sync().hgetall(TallyLayout.seenKey(0, "c1"))).isEqualTo(Map.of("a", "c0"));
    }
}
