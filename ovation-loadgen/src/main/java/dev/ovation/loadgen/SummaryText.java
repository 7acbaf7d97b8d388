package dev.ovation.loadgen;

import java.util.Map;

/** The summary printed at the end of a run, for a person. */
final class SummaryText {

    private SummaryText() {
    }

    static String of(RunReport r) {
        StringBuilder s = new StringBuilder();
        RunStats.Counts c = r.counts();
        s.append('\n').append("Ovation load generator: ").append(r.settings().get("protocol"))
                .append(" — ").append(r.target()).append('\n');
        if (r.targetRate() > 0) {
            s.append(String.format("  open model, %,.0f votes/s for %.0f s after a %.0f s warm-up%n", r.targetRate(),
                    (double) r.settings().get("durationSeconds"), (double) r.settings().get("warmupSeconds")));
        } else {
            s.append(String.format("  closed model, %s users, %.0f s after a %.0f s warm-up%n", r.settings().get("users"),
                    (double) r.settings().get("durationSeconds"), (double) r.settings().get("warmupSeconds")));
        }
        s.append("  votes: ").append(r.votes()).append(", contest ").append(r.settings().get("contest"))
                .append(", run id ").append(r.runId()).append('\n');
        s.append('\n');
        s.append(String.format("Sent          %,12d%s%n", c.sent(),
                c.sentResends() > 0 ? String.format("  (%,d of them resends of an acknowledged vote)", c.sentResends()) : ""));
        s.append(String.format("Acknowledged  %,12d%n", c.acknowledged()));
        s.append(String.format("Errors        %,12d%n", c.errorTotal()));
        for (Map.Entry<String, Long> e : c.errors().entrySet()) {
            s.append(String.format("  %-40s %,10d%n", e.getKey(), e.getValue()));
        }
        if (c.unanswered() > 0) {
            s.append(String.format("Unanswered    %,12d  (no answer when the run ended)%n", c.unanswered()));
        }
        s.append(String.format("Rate          %,12.0f votes/s acknowledged during the measurement%s%n", r.achievedRate(),
                r.targetRate() > 0 ? String.format(" (target %,.0f)", r.targetRate()) : ""));
        s.append('\n');
        LatencySummary l = r.latency();
        s.append(String.format("Latency, acknowledgement%s (%,d votes after the warm-up)%n",
                r.targetRate() > 0 ? ", from each vote's scheduled send time" : ", from the actual send", l.count()));
        s.append(String.format("  p50 %s   p90 %s   p99 %s   p99.9 %s   max %s   (mean %s)%n", Millis.format(l.p50()),
                Millis.format(l.p90()), Millis.format(l.p99()), Millis.format(l.p999()), Millis.format(l.max()),
                Millis.format(l.mean())));
        FreshnessProbe.Freshness f = r.freshness();
        if (f != null) {
            s.append(String.format("Freshness, acknowledged to visible in the results (%d samples, %.0f ms polls%s)%n",
                    f.samples(), f.pollMs(), f.timedOut() + f.readErrors() > 0
                            ? String.format("; %d timed out, %d failed reads", f.timedOut(), f.readErrors()) : ""));
            s.append(String.format("  p50 %s   p99 %s   max %s%n", Millis.format(f.p50()), Millis.format(f.p99()),
                    Millis.format(f.max())));
        }
        RunReport.CpuSummary cpu = r.cpu();
        s.append(String.format("CPU           load generator %.2f cores (%.0f%% of %d)%s%n", cpu.loadgenCores(),
                cpu.loadgenShare() * 100, cpu.cores(), cpu.machineBusy() >= 0
                        ? String.format(", whole machine %.0f%% busy", cpu.machineBusy() * 100) : ""));
        s.append(String.format("Kafka record  %.0f bytes per vote (ovation.v1.VoteEvent)%n", r.recordBytes()));
        s.append('\n');
        Verification v = r.verification();
        if (v == null) {
            s.append("Verification  skipped (--no-verify)\n");
        } else {
            s.append(String.format("Verification  contest %s, before the run: %,d counted, %,d duplicates%s%n", v.contest(),
                    v.baselineTotal(), v.baselineDuplicates(),
                    v.baselineRejected() > 0 ? String.format(", %,d rejected", v.baselineRejected()) : ""));
            s.append(String.format("  sent %,d · acknowledged %,d · counted %,d%s (expected %,d)"
                            + " · duplicates absorbed %,d (expected %,d)%n",
                    v.sent(), v.acknowledged(), v.counted(),
                    v.rejected() != 0 ? String.format(" + rejected over a voter's limit %,d", v.rejected()) : "",
                    v.expectedAccounted(), v.duplicatesAbsorbed(), v.expectedDuplicates()));
            s.append("  ").append(v.message()).append(String.format(" (results read after %.1f s)%n", v.waitedSeconds()));
        }
        s.append(r.passed() ? "PASS\n" : "FAIL\n");
        return s.toString();
    }
}
