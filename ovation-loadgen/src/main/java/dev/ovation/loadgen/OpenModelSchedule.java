package dev.ovation.loadgen;

/**
 * When each vote of an open-model run is meant to leave: vote {@code i} (from 0) at
 * {@code start + i / rate}, for every {@code i} whose time falls before {@code end}. The schedule
 * never waits for answers, so a slow server cannot slow the arrivals down.
 */
final class OpenModelSchedule {

    private final double ratePerSecond;
    private final long startNanos;
    private final long endNanos;
    private final double nanosPerVote;

    OpenModelSchedule(double ratePerSecond, long startNanos, long endNanos) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("the rate must be a positive number of votes per second, not "
                    + ratePerSecond);
        }
        if (endNanos < startNanos) {
            throw new IllegalArgumentException("the schedule ends before it starts");
        }
        this.ratePerSecond = ratePerSecond;
        this.startNanos = startNanos;
        this.endNanos = endNanos;
        this.nanosPerVote = 1e9 / ratePerSecond;
    }

    /** When vote {@code i} is meant to leave. */
    long intendedNanos(long i) {
        return startNanos + (long) Math.floor(i * nanosPerVote);
    }

    /** Whether vote {@code i} is part of the run (leaves before the end). */
    boolean includes(long i) {
        return intendedNanos(i) < endNanos;
    }

    /** How many votes the schedule holds in all: those meant to leave in [start, end). */
    long totalVotes() {
        return endNanos == startNanos ? 0 : countDueBy(endNanos - 1);
    }

    /** How many votes are meant to have left by {@code nanos} (inclusive), at most {@link #totalVotes}. */
    long votesDueBy(long nanos) {
        return Math.min(countDueBy(nanos), totalVotes());
    }

    private long countDueBy(long nanos) {
        if (nanos < startNanos) {
            return 0;
        }
        long due = (long) Math.floor((nanos - startNanos) / nanosPerVote) + 1;
        // floating-point rounding may put the estimate one off: settle it against intendedNanos
        while (due > 0 && intendedNanos(due - 1) > nanos) {
            due--;
        }
        while (intendedNanos(due) <= nanos) {
            due++;
        }
        return due;
    }

    double ratePerSecond() {
        return ratePerSecond;
    }
}
