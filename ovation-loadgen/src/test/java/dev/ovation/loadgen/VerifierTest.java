package dev.ovation.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

class VerifierTest {

    private static final long SECOND = 1_000_000_000L;

    private final FakeClock clock = new FakeClock(0);

    /** Results that show what {@code totalsAt} says for the clock's time. */
    private TallyReader results(LongFunction<ContestTotals> totalsAt) {
        return contest -> totalsAt.apply(clock.nanoTime());
    }

    private Verifier verifier(TallyReader reader) {
        return new Verifier(reader, clock, Duration.ofMillis(100), Duration.ofSeconds(2));
    }

    /** 1,000 sent, 990 acknowledged of which 40 resends, 10 failed. */
    private static RunStats.Counts counts() {
        return new RunStats.Counts(1_000, 40, 990, 40, 10, 0, Map.of("http 503 unavailable", 10L), 0);
    }

    @Test
    void shouldPassOnceTheResultsCountEveryAcknowledgedVoteOnce() throws Exception {
        // Given a contest at 650 votes and 5 duplicates before the run, whose counter catches up after 3 s
        Verifier.Expectation expected = new Verifier.Expectation("default", new ContestTotals(650, 5, 0), counts());
        TallyReader reader = results(now -> now < 3 * SECOND ? new ContestTotals(650 + now / 10_000_000, 5, 0)
                : new ContestTotals(650 + 950, 5 + 40, 0));

        // When verifying
        Verification v = verifier(reader).verify(expected, Duration.ofSeconds(30));

        // Then it passes: 950 distinct votes counted, 40 resends absorbed as duplicates
        assertThat(v.passed()).isTrue();
        assertThat(v.counted()).isEqualTo(950);
        assertThat(v.expectedAccounted()).isEqualTo(950);
        assertThat(v.rejected()).isZero();
        assertThat(v.duplicatesAbsorbed()).isEqualTo(40);
        assertThat(v.expectedDuplicates()).isEqualTo(40);
        assertThat(v.sent()).isEqualTo(1_000);
        assertThat(v.acknowledged()).isEqualTo(990);
        assertThat(v.waitedSeconds()).isCloseTo(3.0, within(0.11));
        assertThat(v.message()).startsWith("PASS");
    }

    @Test
    void shouldFailWhenAcknowledgedVotesAreStillMissingAtTheDeadline() throws Exception {
        // Given results that stop 3 votes short
        Verifier.Expectation expected = new Verifier.Expectation("default", new ContestTotals(0, 0, 0), counts());
        TallyReader reader = results(now -> new ContestTotals(947, 40, 0));

        // When verifying with a 10 s deadline
        Verification v = verifier(reader).verify(expected, Duration.ofSeconds(10));

        // Then it fails after the deadline, naming the missing votes
        assertThat(v.passed()).isFalse();
        assertThat(v.counted()).isEqualTo(947);
        assertThat(v.waitedSeconds()).isCloseTo(10.0, within(0.11));
        assertThat(v.message()).isEqualTo("FAIL: 3 acknowledged vote(s) neither counted nor rejected after waiting 10.0 s");
    }

    @Test
    void shouldFailEarlyWhenMoreWereCountedThanAcknowledged() throws Exception {
        // Given results that went 2 votes past the expected total and stay there
        Verifier.Expectation expected = new Verifier.Expectation("default", new ContestTotals(0, 0, 0), counts());
        TallyReader reader = results(now -> new ContestTotals(952, 40, 0));

        // When verifying with a 60 s deadline
        Verification v = verifier(reader).verify(expected, Duration.ofSeconds(60));

        // Then it gives up once the numbers stood still for 2 s, and points at the failed sends
        assertThat(v.passed()).isFalse();
        assertThat(v.waitedSeconds()).isCloseTo(2.0, within(0.11));
        assertThat(v.message()).startsWith("FAIL: 2 more vote(s) counted than acknowledged")
                .contains("10 sends failed or went unanswered");
    }

    @Test
    void shouldFailWhenResendsWereCountedAsNewVotes() throws Exception {
        // Given results that counted 40 resends as new votes instead of duplicates
        Verifier.Expectation expected = new Verifier.Expectation("default", new ContestTotals(0, 0, 0), counts());
        TallyReader reader = results(now -> new ContestTotals(990, 0, 0));

        // When verifying
        Verification v = verifier(reader).verify(expected, Duration.ofSeconds(60));

        // Then it fails on both counts
        assertThat(v.passed()).isFalse();
        assertThat(v.message()).startsWith("FAIL: 40 more vote(s) counted than acknowledged; duplicates short by 40");
    }

    @Test
    void shouldAccountForVotesTheCounterRejectedOverAVotersLimit() throws Exception {
        // Given a contest with 10 rejected votes before the run, and results that counted 900 of the
        // run's 950 distinct votes and rejected 50 over their voter's limit
        Verifier.Expectation expected = new Verifier.Expectation("limited", new ContestTotals(0, 0, 10), counts());
        TallyReader reader = results(now -> new ContestTotals(900, 40, 60));

        // When verifying
        Verification v = verifier(reader).verify(expected, Duration.ofSeconds(10));

        // Then every acknowledged vote is accounted for, the rejected ones apart
        assertThat(v.passed()).isTrue();
        assertThat(v.counted()).isEqualTo(900);
        assertThat(v.rejected()).isEqualTo(50);
        assertThat(v.message()).isEqualTo(
                "PASS: every acknowledged vote counted exactly once or rejected by the counter (50 over a voter's limit)");
    }

    @Test
    void shouldFailWhenTheResultsCannotBeRead() throws Exception {
        // Given results that always fail
        Verifier.Expectation expected = new Verifier.Expectation("default", new ContestTotals(0, 0, 0), counts());
        TallyReader reader = contest -> {
            throw new IllegalStateException("the results API is unreachable: connection refused");
        };

        // When verifying with a 1 s deadline
        Verification v = verifier(reader).verify(expected, Duration.ofSeconds(1));

        // Then it fails and says why
        assertThat(v.passed()).isFalse();
        assertThat(v.message()).isEqualTo(
                "FAIL: the results could not be read: the results API is unreachable: connection refused");
    }

    @Test
    void shouldMeasureFreshnessUntilTheResultsShowTheAcknowledgedVotes() throws Exception {
        // Given 100 votes acknowledged, and results (baseline 50) that show them 230 ms later
        TallyReader reader = results(now -> new ContestTotals(now < 230_000_000 ? 120 : 150, 0, 0));
        FreshnessProbe probe = new FreshnessProbe(reader, "default", 50, () -> 100, clock, Duration.ofMillis(10),
                Duration.ofSeconds(10));

        // When sampling once
        long freshness = probe.sampleOnce();

        // Then the sample is the first poll at or after 230 ms
        assertThat(freshness).isEqualTo(230_000_000);
        assertThat(probe.result().samples()).isEqualTo(1);
        assertThat(probe.result().p50()).isCloseTo(230, within(0.3));
    }

    @Test
    void shouldGiveUpAFreshnessSampleThatNeverArrives() throws Exception {
        // Given results that never show the acknowledged votes
        FreshnessProbe probe = new FreshnessProbe(results(now -> new ContestTotals(0, 0, 0)), "default", 0, () -> 1,
                clock, Duration.ofMillis(10), Duration.ofSeconds(1));

        // When sampling
        long freshness = probe.sampleOnce();

        // Then the sample is dropped and counted as timed out
        assertThat(freshness).isEqualTo(-1);
        assertThat(probe.result().samples()).isZero();
        assertThat(probe.result().timedOut()).isEqualTo(1);
    }
}
