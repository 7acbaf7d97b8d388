package dev.ovation.loadgen;

import java.util.List;
import java.util.Map;

/**
 * Everything a run found, as written by {@code --report} (JSON) and shown by the summary and the
 * HTML page.
 *
 * @param startedAt         when the run started (UTC, ISO-8601)
 * @param host              the machine the generator ran on
 * @param runId             the prefix of the ids the generator gave its votes
 * @param settings          the effective options
 * @param votes             how the votes were chosen
 * @param target            what was sent where
 * @param counts            sends, acknowledgements and errors of the whole run, warm-up included
 * @param notSent           votes the schedule held that were never sent (in-flight limit, generator behind)
 * @param targetRate        the open model's rate, votes/s (0 in the closed model)
 * @param achievedRate      votes acknowledged per second of the measurement
 * @param latency           acknowledgement latency of the measurement, ms
 * @param warmupLatency     acknowledgement latency of the warm-up, ms
 * @param percentiles       the measurement's latency distribution, for the percentile chart
 * @param timeline          one point per second
 * @param freshness         acknowledgement-to-visible times, or null when not measured
 * @param cpu               CPU use during the measurement
 * @param verification      the end-to-end check, or null with --no-verify
 * @param recordBytes       the mean size of the Kafka record of one vote
 * @param passed            the verdict: the counts matched (or were not checked) and something was acknowledged
 */
record RunReport(String startedAt, String host, String runId, Map<String, Object> settings, String votes,
                 String target, RunStats.Counts counts, long notSent, double targetRate, double achievedRate,
                 LatencySummary latency, LatencySummary warmupLatency, List<LatencySummary.Point> percentiles,
                 List<TimelinePoint> timeline, FreshnessProbe.Freshness freshness, CpuSummary cpu,
                 Verification verification, double recordBytes, boolean passed) {

    /**
     * CPU during the measurement, averaged over its seconds.
     *
     * @param cores               processors of the machine
     * @param loadgenCores        cores the load generator kept busy (1.0 = one core)
     * @param loadgenShare        the generator's share of the machine, 0 to 1
     * @param machineBusy         the machine's busy share, 0 to 1, all processes (-1 when unknown)
     */
    record CpuSummary(int cores, double loadgenCores, double loadgenShare, double machineBusy) {

        static CpuSummary of(int cores, List<TimelinePoint> timeline) {
            List<TimelinePoint> measured = timeline.stream().filter(p -> p.phase().equals("measure")).toList();
            if (measured.isEmpty()) {
                return new CpuSummary(cores, 0, 0, -1);
            }
            double gen = measured.stream().mapToDouble(TimelinePoint::loadgenCores).average().orElse(0);
            double machine = measured.stream().anyMatch(p -> p.machineBusy() < 0) ? -1
                    : measured.stream().mapToDouble(TimelinePoint::machineBusy).average().orElse(-1);
            return new CpuSummary(cores, gen, gen / cores, machine);
        }
    }
}
