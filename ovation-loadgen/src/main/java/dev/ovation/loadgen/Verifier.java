package dev.ovation.loadgen;

import java.time.Duration;

/**
 * Checks that the results show exactly what the run expects: the contest's counted and rejected
 * votes together grew by the number of distinct acknowledged votes, and its duplicates by the
 * number of acknowledged resends. Counting is asynchronous (Kafka, then the counter), so it polls
 * until the numbers match or the deadline passes; it gives up early when the numbers went past
 * what was expected and stopped moving, since they will not come back down.
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
     * @param contest  the contest voted in
     * @param baseline its totals before the run
     * @param counts   the run's final counts
     */
    record Expectation(String contest, ContestTotals baseline, RunStats.Counts counts) {

        /** Counted plus rejected, once every distinct acknowledged vote is accounted for. */
        long accounted() {
            return baseline.accounted() + counts.acknowledgedOriginals();
        }

        long duplicates() {
            return baseline.duplicates() + counts.acknowledgedResends();
        }

        boolean metBy(ContestTotals seen) {
            return seen.accounted() == accounted() && seen.duplicates() == duplicates();
        }

        boolean exceededBy(ContestTotals seen) {
            return seen.accounted() > accounted() || seen.duplicates() > duplicates();
        }
    }

    Verification verify(Expectation expected, Duration timeout) throws InterruptedException {
        long start = clock.nanoTime();
        long deadline = start + timeout.toNanos();
        ContestTotals last = null;
        long lastChange = start;
        String lastError = null;
        while (true) {
            ContestTotals seen = null;
            try {
                seen = reader.read(expected.contest());
                lastError = null;
            } catch (IllegalStateException e) {
                lastError = e.getMessage();
            }
            long now = clock.nanoTime();
            if (seen != null) {
                if (expected.metBy(seen)) {
                    return verdict(expected, seen, true, now - start, null);
                }
                if (!seen.equals(last)) {
                    last = seen;
                    lastChange = now;
                } else if (expected.exceededBy(seen) && now - lastChange >= settle.toNanos()) {
                    return verdict(expected, seen, false, now - start, null);
                }
            }
            if (now >= deadline) {
                if (last == null) {
                    RunStats.Counts c = expected.counts();
                    ContestTotals b = expected.baseline();
                    return new Verification(expected.contest(), b.total(), b.duplicates(), b.rejected(), c.sent(),
                            c.acknowledged(), c.acknowledgedOriginals(), -1, -1, c.acknowledgedResends(), -1, false,
                            (now - start) / 1e9, "FAIL: the results could not be read: " + lastError);
                }
                return verdict(expected, last, false, now - start, lastError);
            }
            clock.waitUntil(Math.min(deadline, now + pollEvery.toNanos()));
        }
    }

    static Verification verdict(Expectation expected, ContestTotals seen, boolean passed, long waitedNanos,
                                String readError) {
        RunStats.Counts c = expected.counts();
        ContestTotals b = expected.baseline();
        long counted = seen.total() - b.total();
        long rejected = seen.rejected() - b.rejected();
        long absorbed = seen.duplicates() - b.duplicates();
        String message;
        if (passed) {
            message = rejected == 0 ? "PASS: every acknowledged vote counted exactly once"
                    : String.format("PASS: every acknowledged vote counted exactly once or rejected by the counter"
                            + " (%,d over a voter's limit)", rejected);
        } else {
            StringBuilder m = new StringBuilder("FAIL: ");
            long missing = c.acknowledgedOriginals() - (counted + rejected);
            if (missing > 0) {
                m.append(String.format("%,d acknowledged vote(s) neither counted nor rejected", missing));
            } else if (missing < 0) {
                m.append(String.format("%,d more vote(s) counted than acknowledged", -missing));
            } else {
                m.append("every acknowledged vote accounted for");
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
        return new Verification(expected.contest(), b.total(), b.duplicates(), b.rejected(), c.sent(),
                c.acknowledged(), c.acknowledgedOriginals(), counted, rejected, c.acknowledgedResends(), absorbed,
                passed, waitedNanos / 1e9, message);
    }
}
