package dev.ovation.loadgen;

/**
 * What the results API shows of a contest: the votes counted, the duplicates absorbed and the
 * votes refused when counting (over a voter's limit).
 *
 * @param total      votes counted
 * @param duplicates votes sent again with an id already counted, and so not counted
 * @param rejected   distinct votes not counted, all reasons together (e.g. over the voter's limit)
 */
record ContestTotals(long total, long duplicates, long rejected) {

    /** Distinct votes the counter has dealt with: counted or rejected. */
    long accounted() {
        return total + rejected;
    }
}
