package dev.ovation.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyReportingTest {

    @Test
    void shouldReportPercentilesInMillisecondsWithinAThousandth() {
        // Given latencies of 1, 2, ... 1,000 ms, recorded in microseconds
        Histogram micros = new Histogram(3);
        for (int ms = 1; ms <= 1_000; ms++) {
            micros.recordValue(ms * 1_000L);
        }

        // When summarising them
        LatencySummary s = LatencySummary.of(micros);

        // Then each percentile is the value that many votes were at or under, within 0.1%
        assertThat(s.count()).isEqualTo(1_000);
        assertThat(s.p50()).isCloseTo(500, within(0.5));
        assertThat(s.p90()).isCloseTo(900, within(0.9));
        assertThat(s.p99()).isCloseTo(990, within(1.0));
        assertThat(s.p999()).isCloseTo(999, within(1.0));
        assertThat(s.max()).isCloseTo(1_000, within(1.0));
        assertThat(s.mean()).isCloseTo(500.5, within(0.5));
    }

    @Test
    void shouldShowTheTailThatTheMedianHides() {
        // Given 990 fast votes (1 ms) and 10 slow ones (200 ms)
        Histogram micros = new Histogram(3);
        micros.recordValueWithCount(1_000, 990);
        micros.recordValueWithCount(200_000, 10);

        // When summarising them
        LatencySummary s = LatencySummary.of(micros);

        // Then the median and p99 are fast, and p99.9 and max show the slow ones
        assertThat(s.p50()).isCloseTo(1, within(0.01));
        assertThat(s.p99()).isCloseTo(1, within(0.01));
        assertThat(s.p999()).isCloseTo(200, within(0.2));
        assertThat(s.max()).isCloseTo(200, within(0.2));
    }

    @Test
    void shouldReportNothingForNoVotes() {
        assertThat(LatencySummary.of(new Histogram(3))).isEqualTo(LatencySummary.EMPTY);
        assertThat(LatencySummary.distribution(new Histogram(3))).isEmpty();
    }

    @Test
    void shouldPlotTheDistributionUpToTheMaximum() {
        // Given 1,000 latencies of 1..1,000 ms
        Histogram micros = new Histogram(3);
        for (int ms = 1; ms <= 1_000; ms++) {
            micros.recordValue(ms * 1_000L);
        }

        // When drawing its distribution
        List<LatencySummary.Point> points = LatencySummary.distribution(micros);
        List<double[]> xy = HtmlReport.percentilePoints(points, micros.getTotalCount());

        // Then it climbs from the minimum to the maximum, ending at 100%, and on the chart's axis
        // 90% sits at 1, 99% at 2, and the maximum at the finest percentile the count resolves, log10(count) = 3,
        // or just past the last percentile plotted
        assertThat(points.get(0).ms()).isCloseTo(1, within(0.01));
        assertThat(points.get(points.size() - 1).percentile()).isEqualTo(100.0);
        assertThat(points.get(points.size() - 1).ms()).isCloseTo(1_000, within(1.0));
        assertThat(points).isSortedAccordingTo((a, b) -> Double.compare(a.ms(), b.ms()));
        assertThat(xy.get(xy.size() - 1)[0]).isGreaterThanOrEqualTo(3).isEqualTo(xy.get(xy.size() - 2)[0]);
        assertThat(HtmlReport.percentilePoints(List.of(new LatencySummary.Point(99, 5)), 100).get(0)[0])
                .isCloseTo(2, within(1e-9));
    }

    @Test
    void shouldKeepTheWarmupApartFromTheMeasurement() {
        // Given two warm-up latencies and three measured ones, read in two intervals
        LatencyBook book = new LatencyBook();
        book.record(5_000, false);
        book.record(7_000, true);
        Histogram first = book.nextInterval();
        book.record(6_000, false);
        book.record(1_000, true);
        book.record(-3, true);
        Histogram second = book.nextInterval();

        // When reading the totals
        // Then each interval holds what came in during it, and the totals hold each phase apart
        assertThat(first.getTotalCount()).isEqualTo(2);
        assertThat(second.getTotalCount()).isEqualTo(3);
        assertThat(book.warmupTotal().getTotalCount()).isEqualTo(2);
        assertThat(book.measuredTotal().getTotalCount()).isEqualTo(3);
        assertThat(book.measuredTotal().getMinValue()).isZero();
        assertThat(book.measuredTotal().getMaxValue()).isEqualTo(book.measuredTotal().highestEquivalentValue(7_000));
    }

    @Test
    void shouldFormatMillisecondsForPeople() {
        assertThat(Millis.format(0.4321)).isEqualTo("0.43 ms");
        assertThat(Millis.format(12.345)).isEqualTo("12.3 ms");
        assertThat(Millis.format(250.4)).isEqualTo("250 ms");
        assertThat(Millis.format(12_345)).isEqualTo("12.3 s");
    }
}
