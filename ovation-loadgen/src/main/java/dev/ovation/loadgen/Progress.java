package dev.ovation.loadgen;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Once a second: reads the counts and the latencies of the second, keeps them as a
 * {@link TimelinePoint}, and prints the live line to standard error.
 */
final class Progress {

    private final RunStats stats;
    private final CpuMeter cpu;
    private final long startNanos;
    private final long measureFromNanos;
    private final long endNanos;
    private final PrintWriter live;
    private final NanoClock clock;
    private final List<TimelinePoint> timeline = new ArrayList<>();
    private RunStats.Counts previous;
    private CpuMeter.Sample previousCpu;

    /**
     * @param live where the live line goes, or {@code null} for none
     */
    Progress(RunStats stats, CpuMeter cpu, long startNanos, long measureFromNanos, long endNanos, PrintWriter live,
             NanoClock clock) {
        this.stats = stats;
        this.cpu = cpu;
        this.startNanos = startNanos;
        this.measureFromNanos = measureFromNanos;
        this.endNanos = endNanos;
        this.live = live;
        this.clock = clock;
        this.previous = stats.counts();
        this.previousCpu = cpu.sample();
    }

    /** Reads the second that just ended and prints its live line; called by one thread at a time. */
    void tick() {
        tick(true);
    }

    /** Reads what is left of the last second, without a live line. */
    void finalTick() {
        tick(false);
    }

    private synchronized void tick(boolean print) {
        long now = clock.nanoTime();
        Histogram interval = stats.latencies().nextInterval();
        RunStats.Counts counts = stats.counts();
        CpuMeter.Sample cpuNow = cpu.sample();
        // the phase of the second that just ended is the phase most of it belonged to
        long middle = previousCpu.wallNanos() + (now - previousCpu.wallNanos()) / 2;
        String phase = middle < measureFromNanos ? "warmup" : middle < endNanos ? "measure" : "drain";
        double seconds = (cpuNow.wallNanos() - previousCpu.wallNanos()) / 1e9;
        TimelinePoint point = new TimelinePoint((now - startNanos) / 1e9, phase,
                counts.sent() - previous.sent(), counts.acknowledged() - previous.acknowledged(),
                counts.errorTotal() - previous.errorTotal(),
                interval.getValueAtPercentile(50) / 1e3, interval.getValueAtPercentile(99) / 1e3,
                interval.getMaxValue() / 1e3, CpuMeter.processCores(previousCpu, cpuNow),
                CpuMeter.machineBusy(previousCpu, cpuNow));
        timeline.add(point);
        if (live != null && print) {
            Histogram soFar = phase.equals("warmup") ? stats.latencies().warmupTotal()
                    : stats.latencies().measuredTotal();
            live.println(line(point, counts, seconds > 0 ? point.acknowledged() / seconds : 0,
                    LatencySummary.of(soFar)));
            live.flush();
        }
        previous = counts;
        previousCpu = cpuNow;
    }

    synchronized List<TimelinePoint> timeline() {
        return List.copyOf(timeline);
    }

    /**
     * The live line, e.g. {@code [ 12s measure] sent 240,000 acked 239,980 errors 0 | 20,010/s
     * in-flight 20 | p50 1.21 ms p99 4.10 ms | cpu 0.45}.
     */
    static String line(TimelinePoint p, RunStats.Counts c, double ackRate, LatencySummary soFar) {
        StringBuilder errors = new StringBuilder();
        errors.append(String.format("%,d", c.errorTotal()));
        if (!c.errors().isEmpty()) {
            errors.append(" (");
            int shown = 0;
            for (Map.Entry<String, Long> e : c.errors().entrySet()) {
                if (shown++ > 0) {
                    errors.append(", ");
                }
                errors.append(e.getKey()).append(": ").append(String.format("%,d", e.getValue()));
            }
            errors.append(')');
        }
        return String.format("[%4.0fs %-7s] sent %,d  acked %,d  errors %s | %,.0f/s  in-flight %,d"
                        + " | p50 %s  p99 %s so far | cpu %.2f",
                p.second(), p.phase(), c.sent(), c.acknowledged(), errors, ackRate, c.inFlight(),
                soFar.count() == 0 ? "-" : Millis.format(soFar.p50()), soFar.count() == 0 ? "-" : Millis.format(soFar.p99()),
                p.loadgenCores());
    }
}
