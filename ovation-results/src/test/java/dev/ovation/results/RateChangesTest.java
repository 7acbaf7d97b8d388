package dev.ovation.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rate points a live page is sent after its first update: the changes, never a flat stretch. */
class RateChangesTest {

    private static final Instant T0 = Instant.parse("2026-12-07T20:00:00Z");
    private final RateChanges changes = new RateChanges();

    private static VoteRates.RatePoint point(int second, double votes) {
        return new VoteRates.RatePoint(T0.plusSeconds(second), votes);
    }

    @Test
    void shouldSendNothingWhileTheRateStaysTheSame() {
        // Given a contest without votes, whose first point the pages were sent
        assertThat(changes.toSend(List.of(point(1, 0.0)))).containsExactly(point(1, 0.0));

        // When its next points are 0 too, a second apart
        // Then none is sent
        assertThat(changes.toSend(List.of(point(2, 0.0), point(3, 0.0)))).isEmpty();
        assertThat(changes.toSend(List.of(point(4, 0.0)))).isEmpty();
        assertThat(changes.toSend(List.of())).isEmpty();
    }

    @Test
    void shouldSendAChangeAfterTheLastPointOfTheStretchBeforeIt() {
        changes.toSend(List.of(point(1, 0.0), point(2, 0.0), point(3, 0.0)));

        // When votes arrive, then stop
        List<VoteRates.RatePoint> rising = changes.toSend(List.of(point(4, 0.0), point(5, 12.5), point(6, 12.5)));
        List<VoteRates.RatePoint> flat = changes.toSend(List.of(point(7, 12.5)));
        List<VoteRates.RatePoint> stopped = changes.toSend(List.of(point(8, 0.0), point(9, 0.0)));

        // Then the chart gets where each stretch ends and the next begins, and the pages show 0 once they stop
        assertThat(rising).containsExactly(point(4, 0.0), point(5, 12.5));
        assertThat(flat).isEmpty();
        assertThat(stopped).containsExactly(point(7, 12.5), point(8, 0.0));
    }

    @Test
    void shouldSendEveryPointOfARateThatChangesEverySecond() {
        List<VoteRates.RatePoint> busy = List.of(point(1, 40.0), point(2, 41.5), point(3, 39.0));

        assertThat(changes.toSend(busy)).isEqualTo(busy);
    }
}
