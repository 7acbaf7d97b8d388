package dev.ovation.loadgen;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --html} page: the summary, latency over time, throughput over time and the latency
 * percentile distribution, as one self-contained file (inline SVG, no script, nothing fetched).
 */
final class HtmlReport {

    private HtmlReport() {
    }

    static String of(RunReport r) {
        double warmupEnd = ((Number) r.settings().get("warmupSeconds")).doubleValue();
        SvgChart.Band warmup = new SvgChart.Band(0, warmupEnd, "warm-up");
        List<double[]> p50 = new ArrayList<>();
        List<double[]> p99 = new ArrayList<>();
        List<double[]> max = new ArrayList<>();
        List<double[]> sent = new ArrayList<>();
        List<double[]> acked = new ArrayList<>();
        List<double[]> errors = new ArrayList<>();
        double previous = 0;
        for (TimelinePoint p : r.timeline()) {
            double seconds = p.second() - previous;
            previous = p.second();
            if (seconds < 0.5) {
                // the last reading right after the run: too short to give a rate or percentiles
                continue;
            }
            if (p.acknowledged() > 0) {
                p50.add(new double[] {p.second(), p.p50()});
                p99.add(new double[] {p.second(), p.p99()});
                max.add(new double[] {p.second(), p.max()});
            }
            sent.add(new double[] {p.second(), p.sent() / seconds});
            acked.add(new double[] {p.second(), p.acknowledged() / seconds});
            errors.add(new double[] {p.second(), p.errors() / seconds});
        }
        String latencyChart = new SvgChart("Acknowledgement latency, each second", "seconds since start",
                "ms (log scale)", true)
                .add(new SvgChart.Series("p50", "#2b7bba", p50))
                .add(new SvgChart.Series("p99", "#e08a00", p99))
                .add(new SvgChart.Series("max", "#c0392b", max))
                .xFrom(0).shade(warmup).render();
        String rateChart = new SvgChart("Votes per second", "seconds since start", "votes/s", false)
                .add(new SvgChart.Series("sent", "#999999", sent))
                .add(new SvgChart.Series("acknowledged", "#27ae60", acked))
                .add(new SvgChart.Series("errors", "#c0392b", errors))
                .xFrom(0).shade(warmup).render();
        String percentileChart = new SvgChart("Latency by percentile (measurement, after the warm-up)",
                "percentile", "ms", false)
                .add(new SvgChart.Series("acknowledgement latency", "#2b7bba",
                        percentilePoints(r.percentiles(), r.latency().count())))
                .xTicks(List.of(new SvgChart.Tick(0, "0%"), new SvgChart.Tick(1, "90%"), new SvgChart.Tick(2, "99%"),
                        new SvgChart.Tick(3, "99.9%"), new SvgChart.Tick(4, "99.99%"), new SvgChart.Tick(5, "99.999%"),
                        new SvgChart.Tick(6, "99.9999%")))
                .render();
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <title>Ovation load test: %s</title>
                <style>
                  body { font-family: sans-serif; margin: 24px; color: #222; max-width: 960px; }
                  pre { background: #f6f6f6; padding: 12px; overflow-x: auto; font-size: 13px; }
                  table { border-collapse: collapse; margin: 12px 0; }
                  td, th { border: 1px solid #ccc; padding: 4px 10px; text-align: right; }
                  th { background: #f0f0f0; }
                  .pass { color: #1e8449; font-weight: bold; } .fail { color: #c0392b; font-weight: bold; }
                  svg { display: block; margin: 18px 0; }
                </style>
                </head>
                <body>
                <h1>Ovation load test: %s</h1>
                <p>%s, on %s. Verdict: <span class="%s">%s</span></p>
                <table>
                <tr><th>votes/s acknowledged</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th>
                <th>errors</th><th>freshness p50 / p99</th><th>load generator CPU</th></tr>
                <tr><td>%,.0f</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%,d</td><td>%s</td><td>%.2f cores</td></tr>
                </table>
                %s
                %s
                %s
                <h2>Summary</h2>
                <pre>%s</pre>
                </body>
                </html>
                """.formatted(Html.escape(String.valueOf(r.settings().get("protocol"))),
                Html.escape(String.valueOf(r.settings().get("protocol"))), Html.escape(r.startedAt()),
                Html.escape(r.host()), r.passed() ? "pass" : "fail", r.passed() ? "PASS" : "FAIL",
                r.achievedRate(), Millis.format(r.latency().p50()), Millis.format(r.latency().p90()),
                Millis.format(r.latency().p99()), Millis.format(r.latency().p999()), Millis.format(r.latency().max()),
                r.counts().errorTotal(), r.freshness() == null ? "not measured"
                        : Millis.format(r.freshness().p50()) + " / " + Millis.format(r.freshness().p99()),
                r.cpu().loadgenCores(), latencyChart, rateChart, percentileChart, Html.escape(SummaryText.of(r)));
    }

    /**
     * The distribution on HdrHistogram's axis: x = log10(1 / (1 - percentile)), so 90% is 1, 99% is 2,
     * 99.9% is 3; the maximum sits at the finest percentile the count resolves, log10(count).
     */
    static List<double[]> percentilePoints(List<LatencySummary.Point> points, long count) {
        List<double[]> xy = new ArrayList<>();
        double last = 0;
        for (LatencySummary.Point p : points) {
            if (p.percentile() >= 100) {
                xy.add(new double[] {Math.max(last, Math.log10(Math.max(count, 1))), p.ms()});
            } else {
                last = Math.log10(1 / (1 - p.percentile() / 100));
                xy.add(new double[] {last, p.ms()});
            }
        }
        return xy;
    }
}
