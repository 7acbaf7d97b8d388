package dev.ovation.loadgen;

/**
 * What the results API shows of a contest: the votes counted and the duplicates absorbed.
 *
 * @param total      votes counted
 * @param duplicates votes sent again with an id already counted, and so not counted
 */
record ContestTotals(long total, long duplicates) {
}
