package dev.ovation.loadgen;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Percentiles of a latency histogram recorded in microseconds, in milliseconds. HdrHistogram keeps
 * three significant digits, so each value is within 0.1% of the true one (rounded up).
 *
 * @param count votes measured
 * @param p50   median
 * @param p90   90th percentile
 * @param p99   99th percentile
 * @param p999  99.9th percentile
 * @param max   the slowest
 * @param mean  the mean
 */
record LatencySummary(long count, double p50, double p90, double p99, double p999, double max, double mean) {

    static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0, 0);

    static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return EMPTY;
        }
        return new LatencySummary(micros.getTotalCount(),
                ms(micros.getValueAtPercentile(50)),
                ms(micros.getValueAtPercentile(90)),
                ms(micros.getValueAtPercentile(99)),
                ms(micros.getValueAtPercentile(99.9)),
                ms(micros.getMaxValue()),
                micros.getMean() / 1_000);
    }

    /**
     * One point of the percentile distribution.
     *
     * @param percentile from 0 to 100
     * @param ms         the latency at that percentile
     */
    record Point(double percentile, double ms) {
    }

    /** The distribution as HdrHistogram plots it: more points towards the tail (five per halving). */
    static List<Point> distribution(Histogram micros) {
        List<Point> points = new ArrayList<>();
        if (micros.getTotalCount() == 0) {
            return points;
        }
        for (HistogramIterationValue v : micros.percentiles(5)) {
            points.add(new Point(v.getPercentileLevelIteratedTo(), ms(v.getValueIteratedTo())));
            if (v.getPercentileLevelIteratedTo() >= 100) {
                break;
            }
        }
        return points;
    }

    private static double ms(long micros) {
        return micros / 1_000.0;
    }
}
