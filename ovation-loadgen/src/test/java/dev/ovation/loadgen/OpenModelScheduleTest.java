package dev.ovation.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OpenModelScheduleTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldSpaceVotesEvenlyAtTheRate() {
        // Given 20,000 votes per second from t = 5 s
        OpenModelSchedule schedule = new OpenModelSchedule(20_000, 5 * SECOND, 6 * SECOND);

        // When asking when votes leave
        // Then they leave every 50 microseconds, the first at the start
        assertThat(schedule.intendedNanos(0)).isEqualTo(5 * SECOND);
        assertThat(schedule.intendedNanos(1)).isEqualTo(5 * SECOND + 50_000);
        assertThat(schedule.intendedNanos(19_999)).isEqualTo(6 * SECOND - 50_000);
    }

    @Test
    void shouldHoldExactlyRateTimesDurationVotes() {
        // Given 20,000 votes/s for 30 s, 1,000 votes/s for 10 s, and 3 votes/s for 1 s
        // When counting the votes each schedule holds
        // Then each holds rate x duration, the vote at the very end excluded
        assertThat(new OpenModelSchedule(20_000, 0, 30 * SECOND).totalVotes()).isEqualTo(600_000);
        assertThat(new OpenModelSchedule(1_000, 7, 7 + 10 * SECOND).totalVotes()).isEqualTo(10_000);
        assertThat(new OpenModelSchedule(3, 0, SECOND).totalVotes()).isEqualTo(3);
        OpenModelSchedule schedule = new OpenModelSchedule(20_000, 0, 30 * SECOND);
        assertThat(schedule.includes(599_999)).isTrue();
        assertThat(schedule.includes(600_000)).isFalse();
    }

    @Test
    void shouldCountTheVotesDueByAMoment() {
        // Given 1,000 votes per second from t = 0 for one second
        OpenModelSchedule schedule = new OpenModelSchedule(1_000, 0, SECOND);

        // When asking how many are due at various moments
        // Then a vote is due from its own time on, and no more than the schedule holds
        assertThat(schedule.votesDueBy(-1)).isZero();
        assertThat(schedule.votesDueBy(0)).isEqualTo(1);
        assertThat(schedule.votesDueBy(999_999)).isEqualTo(1);
        assertThat(schedule.votesDueBy(1_000_000)).isEqualTo(2);
        assertThat(schedule.votesDueBy(SECOND / 2)).isEqualTo(501);
        assertThat(schedule.votesDueBy(10 * SECOND)).isEqualTo(1_000);
    }

    @Test
    void shouldPaceFractionalRates() {
        // Given half a vote per second, and 3 votes per second
        OpenModelSchedule slow = new OpenModelSchedule(0.5, 0, 10 * SECOND);
        OpenModelSchedule thirds = new OpenModelSchedule(3, 0, SECOND);

        // When asking when votes leave
        // Then every 2 s, and every third of a second (rounded down to the nanosecond)
        assertThat(slow.intendedNanos(1)).isEqualTo(2 * SECOND);
        assertThat(slow.totalVotes()).isEqualTo(5);
        assertThat(thirds.intendedNanos(1)).isEqualTo(333_333_333);
        assertThat(thirds.intendedNanos(2)).isEqualTo(666_666_666);
    }

    @Test
    void shouldRejectARateThatIsNotPositive() {
        assertThatThrownBy(() -> new OpenModelSchedule(0, 0, SECOND)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OpenModelSchedule(Double.NaN, 0, SECOND))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
