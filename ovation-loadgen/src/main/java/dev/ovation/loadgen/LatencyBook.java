package dev.ovation.loadgen;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Acknowledgement latencies in microseconds, recorded wait-free from any thread, read back by
 * interval (for the timeline) and in total (for the summary). Warm-up latencies are kept apart so
 * that the summary describes the measured phase only.
 */
final class LatencyBook {

    private static final int SIGNIFICANT_DIGITS = 3;

    private final Recorder warmup = new Recorder(SIGNIFICANT_DIGITS);
    private final Recorder measured = new Recorder(SIGNIFICANT_DIGITS);
    private final Histogram warmupTotal = new Histogram(SIGNIFICANT_DIGITS);
    private final Histogram measuredTotal = new Histogram(SIGNIFICANT_DIGITS);
    private Histogram warmupInterval;
    private Histogram measuredInterval;

    /** Records one latency; any thread. */
    void record(long micros, boolean inMeasuredPhase) {
        (inMeasuredPhase ? measured : warmup).recordValue(Math.max(0, micros));
    }

    /**
     * The latencies recorded since the previous call (warm-up and measured together), also added to
     * the totals. Called by one thread at a time.
     */
    synchronized Histogram nextInterval() {
        warmupInterval = warmup.getIntervalHistogram(warmupInterval);
        measuredInterval = measured.getIntervalHistogram(measuredInterval);
        warmupTotal.add(warmupInterval);
        measuredTotal.add(measuredInterval);
        Histogram both = new Histogram(SIGNIFICANT_DIGITS);
        both.add(warmupInterval);
        both.add(measuredInterval);
        return both;
    }

    /** Every latency of the measured phase read so far by {@link #nextInterval}. */
    synchronized Histogram measuredTotal() {
        return measuredTotal.copy();
    }

    /** Every latency of the warm-up read so far by {@link #nextInterval}. */
    synchronized Histogram warmupTotal() {
        return warmupTotal.copy();
    }
}
