package dev.ovation.loadgen;

/** Reads a contest's totals from the results; replaced by a fake in tests. */
interface TallyReader {

    /**
     * The totals now.
     *
     * @throws IllegalStateException when the results cannot be read
     */
    ContestTotals read(String contest) throws InterruptedException;
}
