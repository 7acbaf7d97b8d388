package dev.ovation.loadgen;

import java.time.Duration;

/**
 * Checks that the results show exactly what the run expects: the contest's total grew by the
 * number of distinct acknowledged votes, and its duplicates by the number of acknowledged resends.
 * Counting is asynchronous (Kafka, then the counter), so it polls until the numbers match or the
 * deadline passes; it gives up early when the numbers went past what was expected and stopped
 * moving, since they will not come back down.
 */
final class Verifier {

    private final TallyReader reader;
    private final NanoClock clock;
    private final Duration pollEvery;
    private final Duration settle;

    /**
     * @param pollEvery how often to read the results
     * @param settle    how long numbers past the expected ones must stay still before giving up
     */
    Verifier(TallyReader reader, NanoClock clock, Duration pollEvery, Duration settle) {
        this.reader = reader;
        this.clock = clock;
        this.pollEvery = pollEvery;
        this.settle = settle;
    }

    /**
     * What a run expects.
     *
     * @param contest             the contest voted in
     * @param baseline            its totals before the run
     * @param counts              the run's final counts
     */
    record Expectation(String contest, ContestTotals baseline, RunStats.Counts counts) {

        long total() {
            return baseline.total() + counts.acknowledgedOriginals();
        }

        long duplicates() {
            return baseline.duplicates() + counts.acknowledgedResends();
        }
    }

    Verification verify(Expectation expected, Duration timeout) throws InterruptedException {
        long start = clock.nanoTime();
        long deadline = start + timeout.toNanos();
        ContestTotals last = null;
        long lastChange = start;
        String lastError = null;
        while (true) {
            long now = clock.nanoTime();
            ContestTotals seen = null;
            try {
                seen = reader.read(expected.contest());
                lastError = null;
            } catch (IllegalStateException e) {
                lastError = e.getMessage();
            }
            now = clock.nanoTime();
            if (seen != null) {
                if (seen.total() == expected.total() && seen.duplicates() == expected.duplicates()) {
                    return verdict(expected, seen, true, now - start, null);
                }
                if (!seen.equals(last)) {
                    last = seen;
                    lastChange = now;
                } else if (past(expected, seen) && now - lastChange >= settle.toNanos()) {
                    return verdict(expected, seen, false, now - start, null);
                }
            }
            if (now >= deadline) {
                if (last == null) {
                    return new Verification(expected.contest(), expected.baseline().total(),
                            expected.baseline().duplicates(), expected.counts().sent(),
                            expected.counts().acknowledged(), expected.counts().acknowledgedOriginals(), -1,
                            expected.counts().acknowledgedResends(), -1, false, (now - start) / 1e9,
                            "FAIL: the results could not be read: " + lastError);
                }
                return verdict(expected, last, false, now - start, lastError);
            }
            clock.waitUntil(Math.min(deadline, now + pollEvery.toNanos()));
        }
    }

    private static boolean past(Expectation expected, ContestTotals seen) {
        return seen.total() > expected.total() || seen.duplicates() > expected.duplicates();
    }

    static Verification verdict(Expectation expected, ContestTotals seen, boolean passed, long waitedNanos,
                                String readError) {
        RunStats.Counts c = expected.counts();
        long counted = seen.total() - expected.baseline().total();
        long absorbed = seen.duplicates() - expected.baseline().duplicates();
        String message;
        if (passed) {
            message = "PASS: every acknowledged vote counted exactly once";
        } else {
            StringBuilder m = new StringBuilder("FAIL: ");
            long missing = c.acknowledgedOriginals() - counted;
            if (missing > 0) {
                m.append(String.format("%,d acknowledged vote(s) not counted", missing));
            } else if (missing < 0) {
                m.append(String.format("%,d more vote(s) counted than acknowledged", -missing));
            } else {
                m.append("counted as expected");
            }
            long dupDiff = absorbed - c.acknowledgedResends();
            if (dupDiff != 0) {
                m.append(String.format("; duplicates %s by %,d", dupDiff > 0 ? "over" : "short", Math.abs(dupDiff)));
            }
            long unsure = c.failed() + c.unanswered();
            if (unsure > 0 && (missing < 0 || dupDiff > 0)) {
                m.append(String.format(" (%,d sends failed or went unanswered; a vote whose answer was lost"
                        + " may still have been stored)", unsure));
            }
            if (missing > 0 || dupDiff < 0) {
                m.append(" after waiting ").append(String.format("%.1f s", waitedNanos / 1e9));
            }
            if (readError != null) {
                m.append("; last read failed: ").append(readError);
            }
            message = m.toString();
        }
        return new Verification(expected.contest(), expected.baseline().total(), expected.baseline().duplicates(),
                c.sent(), c.acknowledged(), c.acknowledgedOriginals(), counted, c.acknowledgedResends(), absorbed,
                passed, waitedNanos / 1e9, message);
    }
}
