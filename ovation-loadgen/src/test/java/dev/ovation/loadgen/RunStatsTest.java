package dev.ovation.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunStatsTest {

    private static final Ballot BALLOT = new Ballot("Pink Floyd", "Animals", "2024", "1");

    private final FakeClock clock = new FakeClock(1_000_000_000L);
    private final ResendPool pool = new ResendPool(8);
    private final RunStats stats = new RunStats(10, pool, clock::nanoTime);

    private Send send(String id, boolean resend, Shipment shipment) {
        stats.inFlightPermits().acquireUninterruptibly();
        Send s = new Send(new PlannedVote(id, "default", BALLOT, "", resend), clock.nanoTime(), true, shipment);
        stats.sending(s);
        return s;
    }

    @Test
    void shouldCountAcknowledgementsResendsAndErrorsByKind() {
        // Given five votes sent, one of them a resend
        Send a = send("a", false, Shipment.UNWATCHED);
        Send b = send("b", false, Shipment.UNWATCHED);
        Send c = send("c", false, Shipment.UNWATCHED);
        Send d = send("d", false, Shipment.UNWATCHED);
        Send again = send("a", true, Shipment.UNWATCHED);

        // When two are acknowledged 3 ms later, the resend too, one fails twice over and one is unanswered
        clock.advance(3_000_000);
        stats.acknowledged(a);
        stats.acknowledged(b);
        stats.acknowledged(again);
        stats.failed(c, "http 503 unavailable");
        stats.notSent("not sent", 2);

        // Then the counts say so, only distinct acknowledged votes are expected counted, and
        // acknowledged originals can be resent
        RunStats.Counts counts = stats.counts();
        assertThat(counts.sent()).isEqualTo(5);
        assertThat(counts.sentResends()).isEqualTo(1);
        assertThat(counts.acknowledged()).isEqualTo(3);
        assertThat(counts.acknowledgedResends()).isEqualTo(1);
        assertThat(counts.acknowledgedOriginals()).isEqualTo(2);
        assertThat(counts.failed()).isEqualTo(1);
        assertThat(counts.unanswered()).isEqualTo(1);
        assertThat(counts.errors()).isEqualTo(Map.of("http 503 unavailable", 1L, "not sent", 2L));
        assertThat(counts.errorTotal()).isEqualTo(3);
        assertThat(counts.inFlight()).isEqualTo(1);
        assertThat(pool.pick(new SplittableRandom(1)).id()).isIn("a", "b");
        stats.latencies().nextInterval();
        assertThat(stats.latencies().measuredTotal().getMinValue()).isEqualTo(3_000);
        assertThat(d.vote().id()).isEqualTo("d");
    }

    @Test
    void shouldTellTheShipmentWhenItsLastVoteIsAnswered() {
        // Given a shipment of two votes
        AtomicInteger done = new AtomicInteger();
        Shipment shipment = new Shipment(2, done::incrementAndGet);
        List<Send> sends = List.of(send("x", false, shipment), send("y", false, shipment));

        // When one is acknowledged, then the other fails
        stats.acknowledged(sends.get(0));
        int afterFirst = done.get();
        stats.failed(sends.get(1), "grpc UNAVAILABLE");

        // Then the shipment is done once, after the second
        assertThat(afterFirst).isZero();
        assertThat(done.get()).isEqualTo(1);
    }

    @Test
    void shouldIgnoreAnswersAfterCountingStopped() {
        // Given a vote sent, and counting stopped
        Send late = send("late", false, Shipment.UNWATCHED);
        stats.stopCounting();

        // When its answer arrives
        stats.acknowledged(late);

        // Then the counts do not move: it stays unanswered
        assertThat(stats.counts().acknowledged()).isZero();
        assertThat(stats.counts().unanswered()).isEqualTo(1);
    }
}
