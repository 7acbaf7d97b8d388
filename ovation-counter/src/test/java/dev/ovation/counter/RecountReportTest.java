package dev.ovation.counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import dev.ovation.store.ShardSnapshot;
import dev.ovation.store.TallyFields;
import dev.ovation.store.TallyLayout;
import dev.ovation.store.TallyReplay;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The comparison of a recount, shard by shard, without Redis or Kafka. */
class RecountReportTest {

    private static final String CONTEST = "c1";
    private static final String QUEEN = TallyFields.band("Queen");
    private static final String JAZZ = TallyFields.album("Queen", "Jazz");

    private final Map<Integer, ShardSnapshot> snapshots = new TreeMap<>();
    private final Map<Integer, TallyReplay> replays = new TreeMap<>();

    RecountReportTest() {
        for (int shard = 0; shard < TallyLayout.SHARDS; shard++) {
            snapshots.put(shard, new ShardSnapshot(shard, List.of(), Map.of(), Map.of(), 0, 0));
            replays.put(shard, new TallyReplay(CONTEST));
        }
    }

    /** Shard {@code shard} replays {@code votes} votes for Queen / Jazz by one voter, and Redis holds {@code tally}. */
    private void shard(int shard, int votes, Map<String, Long> tally, long seen, long voters) {
        TallyReplay replay = replays.get(shard);
        for (int i = 0; i < votes; i++) {
            replay.apply(new VoteEnvelope(new Vote(shard + "-" + i, CONTEST, "Queen", "Jazz", "", "", "voter" + shard),
                    "http", 1L, 0), shard, i);
        }
        snapshots.put(shard, new ShardSnapshot(shard, List.of(shard), Map.of(shard, (long) votes), tally, seen, voters));
    }

    private static Map<String, Long> queen(long votes) {
        return Map.of(TallyFields.TOTAL, votes, QUEEN, votes, JAZZ, votes);
    }

    private RecountReport report() {
        return new RecountReport("votes", CONTEST, snapshots, replays, Map.of());
    }

    @Test
    void shouldSumTheShardsIntoOneLinePerField() {
        // Given two shards that agree with their record
        shard(1, 3, queen(3), 3, 1);
        shard(7, 2, queen(2), 2, 1);

        // When comparing
        RecountReport report = report();

        // Then each line is the sum of the shards, and nothing differs
        assertThat(report.differs()).isFalse();
        assertThat(report.lines()).containsExactly(
                RecountLine.agreeing(TallyFields.TOTAL, 5), RecountLine.agreeing(TallyFields.DUPLICATES, 0),
                RecountLine.agreeing(QUEEN, 5), RecountLine.agreeing(JAZZ, 5),
                RecountLine.agreeing(RecountLine.IDS_SEEN, 5), RecountLine.agreeing(RecountLine.VOTERS, 2));
        assertThat(report.total()).isEqualTo(5);
        assertThat(report.positions()).isEqualTo(Map.of(1, 3L, 7, 2L));
        assertThat(report.shardsThatDiffer()).isEmpty();
    }

    @Test
    void shouldCallADifferenceInOneShardADifferenceEvenWhenTheSumsAgree() {
        // Given one shard holding 2 Queen votes too many and another 2 too few
        Map<String, Long> over = new HashMap<>(queen(3));
        over.put(QUEEN, 5L);
        Map<String, Long> under = new HashMap<>(queen(3));
        under.put(QUEEN, 1L);
        shard(2, 3, over, 3, 1);
        shard(3, 3, under, 3, 1);

        // When comparing
        RecountReport report = report();

        // Then the band's line differs in both shards though its sum agrees, and only those shards need repair
        assertThat(report.differences()).containsExactly(
                new RecountLine(QUEEN, 6, 6, new TreeMap<>(Map.of(2, 2L, 3, -2L)), new TreeMap<>()));
        assertThat(report.differences().get(0).difference()).isZero();
        assertThat(report.shardsThatDiffer()).containsExactly(2, 3);
    }

    @Test
    void shouldNoteExpiredSeenIdsAndVotersWithoutCallingThemADifference() {
        // Given a shard whose seen and voters hashes expired, and one whose seen hash lost one id
        shard(4, 3, queen(3), 0, 0);
        shard(5, 2, queen(2), 1, 1);

        // When comparing
        RecountReport report = report();

        // Then the expired shard is noted apart, and only the shard that lost an id differs
        RecountLine seen = new RecountLine(RecountLine.IDS_SEEN, 5, 1, new TreeMap<>(Map.of(5, -1L)),
                new TreeMap<>(Map.of(4, 3L)));
        RecountLine voters = new RecountLine(RecountLine.VOTERS, 2, 1, new TreeMap<>(), new TreeMap<>(Map.of(4, 1L)));
        assertThat(report.differences()).containsExactly(seen);
        assertThat(report.expirations()).containsExactly(seen, voters);
        assertThat(voters.differs()).isFalse();
        assertThat(report.shardsThatDiffer()).containsExactly(5);
    }

    @Test
    void shouldCallATallyHeldInAShardWithoutPartitionsADifference() {
        // Given a shard the topic has no partition for, holding a tally of the contest
        snapshots.put(12, new ShardSnapshot(12, List.of(), Map.of(), queen(4), 0, 0));

        // When comparing
        RecountReport report = report();

        // Then every line of it differs: the record has no vote there
        assertThat(report.differences()).extracting(RecountLine::label, RecountLine::difference).containsExactly(
                tuple("total", 4L),
                tuple("band Queen", 4L),
                tuple("album Queen / Jazz", 4L));
        assertThat(report.shardsThatDiffer()).containsExactly(12);
    }
}
