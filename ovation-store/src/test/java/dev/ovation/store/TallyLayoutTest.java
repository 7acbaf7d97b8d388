package dev.ovation.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/** The layout of keys, script arguments and answers, without Redis. */
class TallyLayoutTest {

    private static QueuedVote vote(String id, String contest, String band, String album, String voter, int limit,
                                   long offset) {
        return new QueuedVote(new VoteEnvelope(new Vote(id, contest, band, album, "", "", voter), "http", 1L, limit),
                3, offset);
    }

    @Test
    void shouldPutEveryKeyOfAPartitionInOneHashSlot() {
        TallyLayout.ScriptCall call = TallyLayout.countCall("votes", 19, List.of(
                vote("a", "c1", "Queen", "Jazz", "", 0, 10),
                vote("b", "c2", "Queen", "Jazz", "", 0, 11)), 10L, 12, 0);

        assertThat(call.keys()).containsExactly(
                "ovation:{s3}:pos:votes/19",
                "ovation:{s3}:tally:c1", "ovation:{s3}:voters:c1", "ovation:{s3}:seen:c1",
                "ovation:{s3}:tally:c2", "ovation:{s3}:voters:c2", "ovation:{s3}:seen:c2");
    }

    @Test
    void shouldSendEachDistinctBandAndAlbumOnceAndFourValuesPerVote() {
        TallyLayout.ScriptCall call = TallyLayout.countCall("votes", 3, List.of(
                vote("a", "c1", "Queen", "Jazz", "v1", 2, 10),
                vote("b", "c1", "Queen", "Jazz", "v2", 2, 11),
                vote("c", "c1", "Queen", "Innuendo", "", 2, 12)), null, 13, 86_400_000L);

        assertThat(call.args()).containsExactly("", "13", "86400000", "1", "2",
                "1", "Queen", "Jazz", "2",
                "1", "Queen", "Innuendo", "2",
                "a", "v1", "1", "10",
                "b", "v2", "1", "11",
                "c", "", "2", "12");
    }

    @Test
    void shouldReadOneOutcomePerVote() {
        assertThat(TallyLayout.parseAnswer("crdCRD", 6, 5L)).containsExactly(
                new CountOutcome(true, true, 5L), new CountOutcome(true, false, 5L), new CountOutcome(false, false, 5L),
                new CountOutcome(true, true, 5L), new CountOutcome(true, false, 5L), new CountOutcome(false, false, 5L));
    }

    @Test
    void shouldRefuseAnAnswerOfTheWrongLengthOrAnUnknownOutcome() {
        assertThatThrownBy(() -> TallyLayout.parseAnswer("cc", 3, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 outcomes for 3 votes");
        assertThatThrownBy(() -> TallyLayout.parseAnswer("x", 1, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldReadTheSeenValueItWrites() {
        assertThat(TallyLayout.parseSeen(TallyLayout.seenValue(true, 42))).isEqualTo(new TallyLayout.SeenValue(true, 42));
        assertThat(TallyLayout.parseSeen(TallyLayout.seenValue(false, 7))).isEqualTo(new TallyLayout.SeenValue(false, 7));
        assertThatThrownBy(() -> TallyLayout.parseSeen("x1")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldGroupATopicsPartitionsByTheShardThatCountsThem() {
        SortedMap<Integer, List<Integer>> byShard = TallyLayout.partitionsByShard(List.of(17, 3, 0, 1, 16, 2));

        assertThat(byShard).hasSize(TallyLayout.SHARDS);
        assertThat(byShard.get(0)).containsExactly(0, 16);
        assertThat(byShard.get(1)).containsExactly(1, 17);
        assertThat(byShard.get(2)).containsExactly(2);
        assertThat(byShard.get(3)).containsExactly(3);
        assertThat(byShard.get(15)).isEmpty();
    }

    @Test
    void shouldNameARepairsKeyInTheSlotOfTheLiveKey() {
        assertThat(TallyLayout.repairKey(TallyLayout.seenKey(5, "c1"))).isEqualTo("ovation:{s5}:seen:c1:recount");
        assertThat(TallyLayout.hashTag(5)).isEqualTo("{s5}");
        assertThat(TallyLayout.tallyKey(5, "c1")).contains(TallyLayout.hashTag(5));
    }
}
