package dev.ovation.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class DriverTest {

    private static final long MS = 1_000_000L;
    private static final List<Ballot> BALLOTS = List.of(new Ballot("Led Zeppelin", "Led Zeppelin IV", "2024", "1"));

    private final FakeClock clock = new FakeClock(0);
    private final ResendPool pool = new ResendPool(16);

    private VotePlanner planner() {
        return new VotePlanner(new ReplayedBallots(BALLOTS, "test"), "run", "default", true, 0, 0, pool,
                new SplittableRandom(1));
    }

    @Test
    void shouldSendEachVoteAtItsScheduledTime() throws Exception {
        // Given a server that answers at once, and 1,000 votes/s for 50 ms after a 10 ms warm-up
        RunStats stats = new RunStats(100, pool, clock::nanoTime);
        RecordingTarget target = new RecordingTarget(clock, (t, sends) -> sends.forEach(stats::acknowledged));
        OpenModelDriver driver = new OpenModelDriver(target, planner(), stats, new RecordSizes("http"), 1,
                Duration.ZERO, clock);

        // When the schedule runs
        long notSent = driver.run(new OpenModelSchedule(1_000, 0, 60 * MS), 10 * MS, 60 * MS);

        // Then 60 votes left, one every millisecond, each with latency 0, ten of them in the warm-up
        assertThat(notSent).isZero();
        assertThat(target.requests).hasSize(60);
        for (int i = 0; i < 60; i++) {
            assertThat(target.requests.get(i).atNanos()).isEqualTo(i * MS);
        }
        stats.latencies().nextInterval();
        assertThat(stats.latencies().measuredTotal().getTotalCount()).isEqualTo(50);
        assertThat(stats.latencies().warmupTotal().getTotalCount()).isEqualTo(10);
        assertThat(stats.latencies().measuredTotal().getMaxValue()).isZero();
        assertThat(stats.counts().acknowledged()).isEqualTo(60);
    }

    @Test
    void shouldMeasureLatencyFromTheScheduledTimeWhenTheServerHoldsTheGeneratorBack() throws Exception {
        // Given a server that takes 10 ms per vote, one vote in flight at most, and 1,000 votes/s
        RunStats stats = new RunStats(1, pool, clock::nanoTime);
        RecordingTarget target = new RecordingTarget(clock, (t, sends) -> {
            clock.advance(10 * MS);
            sends.forEach(stats::acknowledged);
        });
        OpenModelDriver driver = new OpenModelDriver(target, planner(), stats, new RecordSizes("http"), 1,
                Duration.ZERO, clock);

        // When the schedule of 20 votes runs (over 20 ms, which the server needs 200 ms for)
        long notSent = driver.run(new OpenModelSchedule(1_000, 0, 20 * MS), 0, 20 * MS);

        // Then the generator fell behind, and the latency says so: vote k left at 10k ms, meant for k ms,
        // answered at 10(k + 1) ms, so its latency is 9k + 10 ms, not the 10 ms a naive measure shows
        stats.latencies().nextInterval();
        Histogram latencies = stats.latencies().measuredTotal();
        int sent = target.requests.size();
        assertThat(sent + notSent).isEqualTo(20);
        assertThat(latencies.getTotalCount()).isEqualTo(sent);
        assertThat(latencies.getMinValue()).isEqualTo(10_000);
        assertThat(latencies.getMaxValue()).isEqualTo(latencies.highestEquivalentValue((9L * (sent - 1) + 10) * 1_000));
    }

    @Test
    void shouldCountVotesHeldBackPastTheEndAsNotSent() throws Exception {
        // Given a server that never answers and room for 5 votes in flight
        RunStats stats = new RunStats(5, pool, clock::nanoTime);
        RecordingTarget target = new RecordingTarget(clock, (t, sends) -> { });
        OpenModelDriver driver = new OpenModelDriver(target, planner(), stats, new RecordSizes("http"), 1,
                Duration.ZERO, clock);

        // When 1,000 votes/s are due for 20 ms (the wait for a permit ends at the end of the run)
        long notSent = driver.run(new OpenModelSchedule(1_000, 0, 20 * MS), 0, 20 * MS);

        // Then 5 votes left and 15 did not
        assertThat(target.votes()).isEqualTo(5);
        assertThat(notSent).isEqualTo(15);
        assertThat(stats.counts().unanswered()).isEqualTo(5);
        assertThat(stats.counts().inFlight()).isEqualTo(5);
    }

    @Test
    void shouldFillBatchesOrSendThemWhenTheirFirstVoteWaitedTheLinger() throws Exception {
        // Given batches of 3 votes that may wait 1.5 ms, at 1,000 votes/s for 10 ms
        RunStats stats = new RunStats(100, pool, clock::nanoTime);
        RecordingTarget full = new RecordingTarget(clock, (t, sends) -> sends.forEach(stats::acknowledged));
        new OpenModelDriver(full, planner(), stats, new RecordSizes("http-batch"), 3, Duration.ofMillis(3), clock)
                .run(new OpenModelSchedule(1_000, 0, 10 * MS), 0, 10 * MS);
        FakeClock clock2 = new FakeClock(0);
        RunStats stats2 = new RunStats(100, pool, clock2::nanoTime);
        RecordingTarget lingering = new RecordingTarget(clock2, (t, sends) -> sends.forEach(stats2::acknowledged));

        // When the linger is longer than the time to fill a batch (3 ms), and when it is shorter (1.5 ms)
        new OpenModelDriver(lingering, planner(), stats2, new RecordSizes("http-batch"), 3,
                Duration.ofNanos(1_500_000), clock2).run(new OpenModelSchedule(1_000, 0, 10 * MS), 0, 10 * MS);

        // Then full batches leave when their third vote is due (the last one, cut by the end, at once)
        assertThat(full.requests).extracting(r -> r.sends().size()).containsExactly(3, 3, 3, 1);
        assertThat(full.requests).extracting(RecordingTarget.Request::atNanos)
                .containsExactly(2 * MS, 5 * MS, 8 * MS, 9 * MS);
        // and otherwise they leave 1.5 ms after their first vote was due, with the votes due by then
        assertThat(lingering.requests).extracting(r -> r.sends().size()).containsExactly(2, 2, 2, 2, 2);
        assertThat(lingering.requests).extracting(RecordingTarget.Request::atNanos)
                .containsExactly(1_500_000L, 3_500_000L, 5_500_000L, 7_500_000L, 9 * MS);
        assertThat(stats2.counts().acknowledged()).isEqualTo(10);
    }

    @Test
    void shouldKeepEachClosedModelUserToOneRequestAtATime() throws Exception {
        // Given a server that takes 2 ms per request, and 3 users for 20 ms (5 ms warm-up)
        RunStats stats = new RunStats(3, pool, clock::nanoTime);
        RecordingTarget target = new RecordingTarget(clock, (t, sends) -> {
            clock.advance(2 * MS);
            sends.forEach(stats::acknowledged);
        });

        // When the users run
        new ClosedModelDriver(target, planner(), stats, new RecordSizes("grpc"), 1, clock).run(3, 5 * MS, 20 * MS);

        // Then each request waited for the one before, 2 ms apart, so 10 left in 20 ms, each measured at 2 ms
        assertThat(target.requests).hasSize(10);
        stats.latencies().nextInterval();
        assertThat(stats.latencies().measuredTotal().getMaxValue()).isEqualTo(2_000);
        assertThat(stats.latencies().measuredTotal().getMinValue()).isEqualTo(2_000);
        assertThat(stats.counts().inFlight()).isZero();
    }
}
