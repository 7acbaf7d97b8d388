package dev.ovation.loadgen;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Measures freshness: how long after a vote is acknowledged it is visible in the results.
 *
 * <p>Once per interval it notes the time {@code t} and {@code A}, the distinct votes acknowledged so
 * far, then reads the results every {@code pollEvery} until the contest's counted (and rejected)
 * votes reach {@code baseline + A}; the sample is the time that read returned minus {@code t}. Every vote
 * acknowledged by {@code t} is visible by then, so a sample is the freshness of the newest of them,
 * rounded up to the polling interval (plus one read of the results). A sample that takes longer
 * than {@code giveUpAfter} is dropped and counted as timed out.
 */
final class FreshnessProbe {

    private final TallyReader reader;
    private final String contest;
    private final long baselineAccounted;
    private final LongSupplier acknowledgedOriginals;
    private final NanoClock clock;
    private final Duration pollEvery;
    private final Duration giveUpAfter;
    private final Histogram samplesMicros = new Histogram(3);
    private long timedOut;
    private long readErrors;

    FreshnessProbe(TallyReader reader, String contest, long baselineAccounted, LongSupplier acknowledgedOriginals,
                   NanoClock clock, Duration pollEvery, Duration giveUpAfter) {
        this.reader = reader;
        this.contest = contest;
        this.baselineAccounted = baselineAccounted;
        this.acknowledgedOriginals = acknowledgedOriginals;
        this.clock = clock;
        this.pollEvery = pollEvery;
        this.giveUpAfter = giveUpAfter;
    }

    /** Takes one sample every {@code every} from {@code fromNanos} until {@code untilNanos}; on the calling thread. */
    void run(long fromNanos, long untilNanos, Duration every) throws InterruptedException {
        long next = fromNanos;
        while (next < untilNanos) {
            clock.waitUntil(next);
            sampleOnce();
            next = Math.max(next + every.toNanos(), clock.nanoTime());
        }
    }

    /**
     * Takes one sample.
     *
     * @return the freshness in nanoseconds, or -1 when it timed out or the results could not be read
     */
    long sampleOnce() throws InterruptedException {
        long t = clock.nanoTime();
        long target = baselineAccounted + acknowledgedOriginals.getAsLong();
        while (true) {
            long total;
            try {
                total = reader.read(contest).accounted();
            } catch (IllegalStateException e) {
                synchronized (this) {
                    readErrors++;
                }
                return -1;
            }
            long seenAt = clock.nanoTime();
            if (total >= target) {
                long freshness = seenAt - t;
                synchronized (this) {
                    samplesMicros.recordValue(freshness / 1_000);
                }
                return freshness;
            }
            if (seenAt - t > giveUpAfter.toNanos()) {
                synchronized (this) {
                    timedOut++;
                }
                return -1;
            }
            clock.waitUntil(seenAt + pollEvery.toNanos());
        }
    }

    /**
     * Freshness of a run.
     *
     * @param samples    samples taken
     * @param p50        median, ms
     * @param p99        99th percentile, ms
     * @param max        the stalest sample, ms
     * @param timedOut   samples given up on
     * @param readErrors samples lost to a failed read of the results
     * @param pollMs     the polling interval: the resolution of each sample
     */
    record Freshness(long samples, double p50, double p99, double max, long timedOut, long readErrors,
                     double pollMs) {
    }

    synchronized Freshness result() {
        LatencySummary s = LatencySummary.of(samplesMicros);
        return new Freshness(s.count(), s.p50(), s.p99(), s.max(), timedOut, readErrors, pollEvery.toNanos() / 1e6);
    }
}
