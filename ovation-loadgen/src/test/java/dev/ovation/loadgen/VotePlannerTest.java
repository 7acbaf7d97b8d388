package dev.ovation.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VotePlannerTest {

    private static final List<Ballot> BALLOTS = List.of(
            new Ballot("The Beatles", "Abbey Road", "2024", "1"),
            new Ballot("Pink Floyd", "The Dark Side of the Moon", "2024", "2"));

    @Test
    void shouldGiveEveryVoteItsOwnIdAndTheContest() {
        // Given a planner for contest "finals"
        VotePlanner planner = new VotePlanner(new ReplayedBallots(BALLOTS, "test"), "lgabc", "finals", true, 0, 0,
                new ResendPool(8), new SplittableRandom(7));

        // When it plans five votes
        List<PlannedVote> votes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            votes.add(planner.next());
        }

        // Then the ids are the run id and a sequence, the ballots come in the file's order, the voter is empty
        assertThat(votes).extracting(PlannedVote::id).containsExactly("lgabc.0", "lgabc.1", "lgabc.2", "lgabc.3",
                "lgabc.4");
        assertThat(votes).extracting(v -> v.ballot().band()).containsExactly("The Beatles", "Pink Floyd",
                "The Beatles", "Pink Floyd", "The Beatles");
        assertThat(votes).allMatch(v -> v.contest().equals("finals") && v.voter().isEmpty() && !v.resend());
    }

    @Test
    void shouldLeaveTheIdToTheServerForTheSeedShapes() {
        // Given a planner for the seed's shapes
        VotePlanner planner = new VotePlanner(new ReplayedBallots(BALLOTS, "test"), "lgabc", "default", false, 0, 0,
                new ResendPool(8), new SplittableRandom(7));

        // When it plans a vote
        // Then the vote has no id
        assertThat(planner.next().id()).isNull();
        assertThatThrownBy(() -> new VotePlanner(new ReplayedBallots(BALLOTS, "test"), "x", "default", false, 0, 0.1,
                new ResendPool(8), new SplittableRandom(7))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldResendOnlyVotesThatWereAcknowledged() {
        // Given a planner resending 30% of the time, and nothing acknowledged yet
        ResendPool acknowledged = new ResendPool(8);
        VotePlanner planner = new VotePlanner(new ReplayedBallots(BALLOTS, "test"), "r", "default", true, 0, 0.3,
                acknowledged, new SplittableRandom(42));

        // When it plans votes before and after two of them are acknowledged
        List<PlannedVote> before = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            before.add(planner.next());
        }
        acknowledged.add(before.get(3));
        acknowledged.add(before.get(7));
        List<PlannedVote> after = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            after.add(planner.next());
        }

        // Then nothing is resent before an acknowledgement, and afterwards about 30% of sends are
        // resends, every one of them an acknowledged vote, unchanged
        assertThat(before).noneMatch(PlannedVote::resend);
        List<PlannedVote> resends = after.stream().filter(PlannedVote::resend).toList();
        assertThat(resends.size()).isBetween(2_800, 3_200);
        assertThat(resends).allMatch(v -> v.equals(before.get(3).asResend()) || v.equals(before.get(7).asResend()));
        Set<String> fresh = new HashSet<>();
        after.stream().filter(v -> !v.resend()).forEach(v -> assertThat(fresh.add(v.id())).isTrue());
    }

    @Test
    void shouldSpreadVotesOverTheVoters() {
        // Given 10 voters
        VotePlanner planner = new VotePlanner(new ReplayedBallots(BALLOTS, "test"), "r", "default", true, 10, 0,
                new ResendPool(8), new SplittableRandom(3));

        // When planning 1,000 votes
        Set<String> voters = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            voters.add(planner.next().voter());
        }

        // Then every voter votes and there are no others
        assertThat(voters).hasSize(10).allMatch(v -> v.matches("voter-[0-9]"));
    }

    @Test
    void shouldRememberOnlyTheLatestAcknowledgedVotes() {
        // Given a pool of 2 that saw three votes
        ResendPool pool = new ResendPool(2);
        PlannedVote a = new PlannedVote("a", "default", BALLOTS.get(0), "", false);
        PlannedVote b = new PlannedVote("b", "default", BALLOTS.get(0), "", false);
        PlannedVote c = new PlannedVote("c", "default", BALLOTS.get(0), "", false);
        pool.add(a);
        pool.add(b);
        pool.add(c);

        // When picking many times
        Set<String> picked = new HashSet<>();
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 100; i++) {
            picked.add(pool.pick(random).id());
        }

        // Then only the latest two come back
        assertThat(picked).containsExactlyInAnyOrder("b", "c");
        assertThat(new ResendPool(2).pick(random)).isNull();
    }
}
