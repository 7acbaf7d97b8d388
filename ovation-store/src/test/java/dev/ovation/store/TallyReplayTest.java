package dev.ovation.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import dev.ovation.store.TallyReplay.Decision;
import dev.ovation.store.TallyReplay.Outcome;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rules of counting, replayed without Redis or Kafka, case by case; {@code TallyReplayIT} holds
 * them to {@code count-votes.lua} itself.
 */
class TallyReplayTest {

    private final TallyReplay replay = new TallyReplay("c1");

    private static VoteEnvelope vote(String id, String band, String album) {
        return voterVote(id, band, album, "", 0);
    }

    private static VoteEnvelope voterVote(String id, String band, String album, String voter, int limit) {
        return new VoteEnvelope(new Vote(id, "c1", band, album, "", "", voter), "http", 1L, limit);
    }

    @Test
    void shouldCountEachVoteInTotalBandAndAlbum() {
        // Given nothing replayed yet
        // When three votes are applied
        Outcome first = replay.apply(vote("a", "Queen", "Jazz"), 0, 0);
        replay.apply(vote("b", "Queen", "Innuendo"), 0, 1);
        replay.apply(vote("c", "Abba", "Arrival"), 1, 0);

        // Then the tallies are those the counters write
        assertThat(first).isEqualTo(Outcome.COUNTED);
        assertThat(replay.tallyFields()).isEqualTo(Map.of(
                "total", 3L,
                "b\u001fQueen", 2L, "a\u001fQueen\u001fJazz", 1L, "a\u001fQueen\u001fInnuendo", 1L,
                "b\u001fAbba", 1L, "a\u001fAbba\u001fArrival", 1L));
        assertThat(replay.total()).isEqualTo(3);
        assertThat(replay.duplicates()).isZero();
        assertThat(replay.seen()).isEqualTo(Map.of("a", new Decision(true, 0, 0), "b", new Decision(true, 0, 1),
                "c", new Decision(true, 1, 0)));
        assertThat(replay.voters()).isEmpty();
    }

    @Test
    void shouldAbsorbAnIdAlreadyDecidedAsADuplicate() {
        // Given a counted vote
        replay.apply(vote("a", "Queen", "Jazz"), 0, 0);

        // When a later record carries the same id, even for another band
        Outcome outcome = replay.apply(vote("a", "Abba", "Arrival"), 0, 5);

        // Then it adds to duplicates only, and the id stays decided by the first record
        assertThat(outcome).isEqualTo(Outcome.DUPLICATE);
        assertThat(replay.total()).isEqualTo(1);
        assertThat(replay.duplicates()).isEqualTo(1);
        assertThat(replay.count(TallyFields.band("Abba"))).isZero();
        assertThat(replay.seen()).isEqualTo(Map.of("a", new Decision(true, 0, 0)));
    }

    @Test
    void shouldRejectAVoteOverItsVotersLimitAndRememberTheDecision() {
        // Given a voter with the limit of 2 votes reached
        replay.apply(voterVote("a", "Queen", "Jazz", "+502-1", 2), 0, 0);
        replay.apply(voterVote("b", "Queen", "Jazz", "+502-1", 2), 0, 1);

        // When the voter votes again, and another voter once
        Outcome third = replay.apply(voterVote("c", "Abba", "Arrival", "+502-1", 2), 0, 2);
        Outcome other = replay.apply(voterVote("d", "Abba", "Arrival", "+502-2", 2), 0, 3);
        Outcome resent = replay.apply(voterVote("c", "Abba", "Arrival", "+502-1", 2), 0, 4);

        // Then the third vote is rejected by reason, kept out of the tallies, and its id is decided
        assertThat(third).isEqualTo(Outcome.REJECTED_VOTER_LIMIT);
        assertThat(other).isEqualTo(Outcome.COUNTED);
        assertThat(resent).isEqualTo(Outcome.DUPLICATE);
        assertThat(replay.total()).isEqualTo(3);
        assertThat(replay.count(TallyFields.rejected("voter_limit"))).isEqualTo(1);
        assertThat(replay.count(TallyFields.band("Abba"))).isEqualTo(1);
        assertThat(replay.duplicates()).isEqualTo(1);
        assertThat(replay.voters()).isEqualTo(Map.of("+502-1", 2L, "+502-2", 1L));
        assertThat(replay.seen().get("c")).isEqualTo(new Decision(false, 0, 2));
        assertThat(replay.seen().get("c").seenValue()).isEqualTo("r2");
    }

    @Test
    void shouldApplyNoLimitWhenTheRecordCarriesNoneOrTheVoteNoVoter() {
        // Given votes with a limit of 0 (none), and anonymous votes with a limit
        for (int i = 0; i < 3; i++) {
            replay.apply(voterVote("v" + i, "Queen", "Jazz", "+502-1", 0), 0, i);
            replay.apply(voterVote("anon" + i, "Queen", "Jazz", "", 1), 1, i);
        }

        // Then every one counts; only named voters are remembered
        assertThat(replay.total()).isEqualTo(6);
        assertThat(replay.voters()).isEqualTo(Map.of("+502-1", 3L));
    }

    @Test
    void shouldChangeNothingWhenARecordIsReplayed() {
        // Given two records applied in partition 0
        replay.apply(vote("a", "Queen", "Jazz"), 0, 0);
        replay.apply(vote("b", "Queen", "Jazz"), 0, 1);
        Map<String, Long> before = Map.copyOf(replay.tallyFields());

        // When they are applied again (a consumer rewound), the same offsets in order
        Outcome again = replay.apply(vote("a", "Queen", "Jazz"), 0, 0);
        Outcome againB = replay.apply(vote("b", "Queen", "Jazz"), 0, 1);

        // Then nothing changes: not even duplicates
        assertThat(again).isEqualTo(Outcome.ALREADY_APPLIED);
        assertThat(againB).isEqualTo(Outcome.ALREADY_APPLIED);
        assertThat(replay.tallyFields()).isEqualTo(before);
        assertThat(replay.duplicates()).isZero();
        // while the same offset of another partition is a record of its own
        assertThat(replay.apply(vote("c", "Queen", "Jazz"), 1, 0)).isEqualTo(Outcome.COUNTED);
    }

    @Test
    void shouldSkipVotesOfOtherContestsAndRecordsThatAreNotVotes() {
        // Given a vote of another contest and a record that is not a vote
        Outcome other = replay.apply(new VoteEnvelope(new Vote("a", "c2", "Queen", "Jazz", "", "", ""), "http", 1L, 0),
                0, 0);
        Outcome skipped = replay.skip(0, 1);

        // When a vote of this contest follows, with the same id as the other contest's
        Outcome counted = replay.apply(vote("a", "Queen", "Jazz"), 0, 2);

        // Then only it counts, and the record that is not a vote is counted apart
        assertThat(other).isEqualTo(Outcome.OTHER_CONTEST);
        assertThat(skipped).isEqualTo(Outcome.UNDECODABLE);
        assertThat(counted).isEqualTo(Outcome.COUNTED);
        assertThat(replay.undecodable()).isEqualTo(1);
        assertThat(replay.tallyFields()).isEqualTo(Map.of("total", 1L, "b\u001fQueen", 1L,
                "a\u001fQueen\u001fJazz", 1L));
        assertThat(replay.seen()).isEqualTo(Map.of("a", new Decision(true, 0, 2)));
    }

    @Test
    void shouldSkipARecordNotAVoteOnceEvenWhenItIsReadAgain() {
        // Given a record that is not a vote, skipped
        replay.skip(0, 0);

        // When it is read again (a consumer rewound)
        Outcome again = replay.skip(0, 0);

        // Then it is not counted apart twice
        assertThat(again).isEqualTo(Outcome.ALREADY_APPLIED);
        assertThat(replay.undecodable()).isEqualTo(1);
    }
}
