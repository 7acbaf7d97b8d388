package dev.ovation.counter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import dev.ovation.store.TallyReplay;
import dev.ovation.store.TallyReplay.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the recount hands its replay from the topic's raw records, without Kafka or Redis: the
 * votes the counters count, and the records they set aside ({@link RecordCheck}) skipped.
 */
class RecountRecordsTest {

    private final TallyReplay replay = new TallyReplay("c1");

    private static byte[] record(Vote vote) {
        return new VoteEnvelope(vote, "http", 1L, 0).encode();
    }

    @Test
    void shouldReplayAVoteAndSkipRecordsThatAreNotVotesToCount() {
        // Given a record that is no vote envelope, a vote breaking the rules (an untrimmed band) and a vote
        byte[] garbage = "not a vote".getBytes(StandardCharsets.UTF_8);
        byte[] untrimmed = record(new Vote("a", "c1", " Queen", "Jazz", "", "", ""));
        byte[] vote = record(new Vote("b", "c1", "Queen", "Jazz", "", "", ""));

        // When the recount applies them in partition 0, and an empty record in partition 1
        Outcome first = Recount.replay(replay, garbage, 0, 0);
        Outcome second = Recount.replay(replay, untrimmed, 0, 1);
        Outcome third = Recount.replay(replay, vote, 0, 2);
        Outcome fourth = Recount.replay(replay, null, 1, 0);

        // Then only the vote counts; the three others are skipped and counted apart
        assertThat(first).isEqualTo(Outcome.UNDECODABLE);
        assertThat(second).isEqualTo(Outcome.UNDECODABLE);
        assertThat(third).isEqualTo(Outcome.COUNTED);
        assertThat(fourth).isEqualTo(Outcome.UNDECODABLE);
        assertThat(replay.undecodable()).isEqualTo(3);
        assertThat(replay.total()).isEqualTo(1);
        assertThat(replay.seen()).containsOnlyKeys("b");
        assertThat(replay.tallyFields()).isEqualTo(Map.of("total", 1L, "b\u001fQueen", 1L, "a\u001fQueen\u001fJazz", 1L));
    }
}
