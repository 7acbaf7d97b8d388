package dev.ovation.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static RunReport report(boolean passed) {
        RunStats.Counts counts = new RunStats.Counts(12_000, 100, 11_990, 100, 10, 0,
                Map.of("http 503 unavailable", 10L), 0);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("protocol", "http");
        settings.put("durationSeconds", 10.0);
        settings.put("warmupSeconds", 2.0);
        settings.put("contest", "default");
        List<TimelinePoint> timeline = List.of(
                new TimelinePoint(1, "warmup", 1_000, 990, 0, 1.1, 4.0, 9.0, 0.3, 0.9),
                new TimelinePoint(2, "warmup", 1_000, 1_000, 0, 1.0, 3.0, 8.0, 0.3, 0.9),
                new TimelinePoint(3, "measure", 1_000, 1_000, 10, 1.0, 3.5, 30.0, 0.4, 0.95),
                new TimelinePoint(4, "measure", 1_000, 1_000, 0, 0.9, 2.5, 6.0, 0.2, 0.85));
        Verification verification = new Verification("default", 650, 0, 0, 12_000, 11_990, 11_890, 11_890, 0, 100, 100,
                passed, 0.4, passed ? "PASS: every acknowledged vote counted exactly once" : "FAIL: 1 not counted");
        return new RunReport("2026-01-01T00:00:00Z", "box", "lgtest", settings, "the 650 votes of seed-traffic.json",
                "POST http://127.0.0.1:8080/api/votes, one vote per request", counts, 0, 1_000, 1_000,
                new LatencySummary(10_000, 1.0, 2.0, 3.0, 9.0, 30.0, 1.2), LatencySummary.EMPTY,
                List.of(new LatencySummary.Point(0, 0.5), new LatencySummary.Point(50, 1.0),
                        new LatencySummary.Point(99, 3.0), new LatencySummary.Point(100, 30.0)),
                timeline, new FreshnessProbe.Freshness(8, 40, 90, 95, 0, 0, 10),
                RunReport.CpuSummary.of(2, timeline), verification, 98.0, passed);
    }

    @Test
    void shouldSummariseCountsLatencyFreshnessCpuAndTheVerdict() {
        // Given a run report
        // When printing its summary
        String summary = SummaryText.of(report(true));

        // Then a person finds every number the run is judged by
        assertThat(summary).contains("Sent                12,000  (100 of them resends of an acknowledged vote)",
                "Acknowledged        11,990", "http 503 unavailable", "p50 1.00 ms", "p99 3.00 ms", "p99.9 9.00 ms",
                "max 30.0 ms", "p50 40.0 ms   p99 90.0 ms",
                "sent 12,000 · acknowledged 11,990 · counted 11,890 (expected 11,890) · duplicates absorbed 100 (expected 100)",
                "load generator 0.30 cores (15% of 2), whole machine 90% busy", "PASS");
    }

    @Test
    void shouldAverageCpuOverTheMeasurementOnly() {
        RunReport.CpuSummary cpu = report(true).cpu();
        assertThat(cpu.loadgenCores()).isEqualTo(0.3, Offset.offset(1e-9));
        assertThat(cpu.machineBusy()).isEqualTo(0.9, Offset.offset(1e-9));
    }

    @Test
    void shouldWriteASelfContainedPageWithTheCharts() {
        // Given a failed run's report
        // When writing its page
        String html = HtmlReport.of(report(false));

        // Then it holds three inline SVG charts, the verdict and the summary, and loads nothing from elsewhere
        assertThat(html).startsWith("<!DOCTYPE html>");
        assertThat(html.split("<svg ", -1)).hasSize(4);
        assertThat(html).contains("Acknowledgement latency, each second", "Votes per second", "Latency by percentile",
                "99.9%", "class=\"fail\">FAIL", "warm-up");
        assertThat(html).doesNotContain("<script", "<link", "src=", "https://");
        assertThat(html.replace("http://www.w3.org/2000/svg", "").replace("http://127.0.0.1:8080", ""))
                .doesNotContain("http://");
    }

    @Test
    void shouldWriteTheLiveLine() {
        // Given a second of a run
        TimelinePoint p = new TimelinePoint(12, "measure", 20_000, 19_990, 3, 1.2, 4.1, 9, 0.45, 0.9);
        RunStats.Counts c = new RunStats.Counts(240_000, 0, 239_980, 0, 3, 17, Map.of("http 503 unavailable", 3L), 20);

        // When formatting its line
        String line = Progress.line(p, c, 19_990, new LatencySummary(1, 1.21, 2, 4.1, 5, 9, 1.3));

        // Then it shows sent, acknowledged, errors by kind, rate, in-flight and p50/p99 so far
        assertThat(line).isEqualTo("[  12s measure] sent 240,000  acked 239,980  errors 3 (http 503 unavailable: 3)"
                + " | 19,990/s  in-flight 20 | p50 1.21 ms  p99 4.10 ms so far | cpu 0.45");
    }

    @Test
    void shouldNameHttpErrorsByStatusAndCode() {
        assertThat(HttpErrors.kind(503, "{\"error\":\"unavailable\",\"message\":\"Kafka is down\"}"))
                .isEqualTo("http 503 unavailable");
        assertThat(HttpErrors.kind(400, "{\"field\":\"band\",\"error\":\"invalid_vote\"}"))
                .isEqualTo("http 400 invalid_vote");
        assertThat(HttpErrors.kind(502, "<html>Bad gateway</html>")).isEqualTo("http 502");
        assertThat(HttpTransport.failureKind(new ExecutionException(
                new ConnectException("refused")))).isEqualTo("connection refused");
        assertThat(HttpTransport.failureKind(new TimeoutException())).isEqualTo("timeout");
    }

    @Test
    void shouldReadTheMachinesBusyAndTotalCpuTime() {
        // Given the cpu line of /proc/stat: user nice system idle iowait irq softirq steal
        long[] busyAndAll = CpuMeter.parseCpuLine("cpu  100 5 50 800 40 3 2 0 0 0");

        // Then idle and iowait are not busy
        assertThat(busyAndAll).containsExactly(160, 1_000);
    }
}
