package dev.ovation.chaos;

import java.util.List;

/** A run's result as a person reads it, and the matrix as one table (Markdown, for docs/reliability.md). */
final class Report {

    private Report() {
    }

    static String of(ChaosRun.Result r) {
        Checker.Verdict v = r.verdict();
        Availability a = r.availability();
        StringBuilder text = new StringBuilder();
        text.append("chaos: --- ").append(r.fault()).append(" (contest ").append(r.contest()).append(")\n");
        r.events().forEach(e -> text.append("  ").append(e).append('\n'));
        text.append(String.format("  votes %,d: acknowledged %,d, refused %,d, unknown %,d (of them counted %,d)%n",
                v.votes(), v.acknowledged(), v.refused(), v.unknown(), v.unknownCounted()));
        text.append(String.format("  lost %d, doubled %d, invented %d; tallies %,d = ids counted %,d: %s; bands %s;"
                        + " recount %,d %s; log %,d entries (%d twice, %d missing)%n",
                v.lost(), v.doubled(), v.invented(), v.tallyTotal(), v.idsCounted(),
                v.tallyTotal() == v.idsCounted() ? "yes" : "NO", v.bandsAgree() ? "agree" : "DISAGREE " + v.expectedBands()
                        + " vs " + v.tallyBands(), v.recountTotal(), v.recountAgrees() ? "agrees" : "DIFFERS",
                v.logEntries(), v.loggedTwice(), v.notLogged()));
        text.append(String.format("  during the fault: %.1f%% of %,d attempts answered; longest gap without an"
                        + " acknowledgement %,d ms (at %.1f s)%n", 100 * a.answeredDuringFault(), a.attemptsDuringFault(),
                a.longestGapMillis(), a.longestGapAt() / 1000.0));
        if (a.loadAfterHeal()) {
            text.append(String.format("  after the heal: ack p99 (%,d ms before the fault) back %s; freshness (at most %s"
                            + " before) under 1 s again %s%n", a.p99BeforeMillis(), back(a.p99BackAfterMillis()),
                    a.freshnessBeforeMillis() < 0 ? "n/a" : a.freshnessBeforeMillis() + " ms",
                    back(a.freshnessBackAfterMillis())));
        } else {
            text.append("  no load after the fault\n");
        }
        text.append(String.format("  the counters applied the whole topic %s after the load ended%n",
                r.settleMillis() < 0 ? "NEVER (180 s)" : r.settleMillis() + " ms"));
        if (v.logError() != null) {
            text.append("  the log could not be read through: ").append(v.logError()).append('\n');
        }
        text.append("  ").append(v.exact() ? "PASS: every acknowledged vote counted exactly once; tallies = recount = log"
                : "FAIL").append('\n');
        return text.toString();
    }

    static String table(List<ChaosRun.Result> results) {
        StringBuilder text = new StringBuilder();
        text.append("| fault | votes | acknowledged | unknown | lost | doubled | invented | tallies = recount = log |"
                + " answered during | longest gap | p99 back | freshness < 1 s |\n");
        text.append("|---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|\n");
        for (ChaosRun.Result r : results) {
            Checker.Verdict v = r.verdict();
            Availability a = r.availability();
            text.append(String.format("| %s | %,d | %,d | %,d | %d | %d | %d | %s | %.1f%% | %.1f s | %s | %s |%n",
                    r.fault(), v.votes(), v.acknowledged(), v.unknown(), v.lost(), v.doubled(), v.invented(),
                    v.exact() ? "yes" : "**no**", 100 * a.answeredDuringFault(), a.longestGapMillis() / 1000.0,
                    a.loadAfterHeal() ? seconds(a.p99BackAfterMillis()) : "no load after",
                    a.loadAfterHeal() ? seconds(a.freshnessBackAfterMillis()) : "no load after"));
        }
        return text.toString();
    }

    private static String back(long millis) {
        return millis < 0 ? "NOT within the run" : millis + " ms after";
    }

    private static String seconds(long millis) {
        return millis < 0 ? "not in run" : String.format("%.0f s", millis / 1000.0);
    }
}
